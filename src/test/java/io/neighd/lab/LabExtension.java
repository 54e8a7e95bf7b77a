package io.neighd.lab;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * {@code @ExtendWith(LabExtension.class)}: checks the machine through {@link
 * io.neighd.env.Requirements} (skip without root, fail in CI or when a tool is missing), opens the
 * JVM-wide {@link LabSession} on first use (the root store closes it at the end of the run),
 * resets it before every test, and injects {@link Lab}, {@link Neighd}, {@link ReferenceKernel}
 * or the {@link LabSession} into constructors and methods.
 */
public final class LabExtension implements ExecutionCondition, BeforeAllCallback, BeforeEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LabExtension.class);

    /**
     * Where the machine cannot run the lab (no root, outside CI), the class is disabled with the
     * reason before anything is constructed or injected: the reports then list each of its tests
     * as skipped, saying why. (Aborting in beforeAll shows as a class that ran no test; aborting
     * while injecting a constructor parameter, as an error.) A missing tool, or CI, still fails in
     * {@link #beforeAll}.
     */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String why = LabEnvironment.skipReason();
        return why == null ? ConditionEvaluationResult.enabled("the lab can run here")
                : ConditionEvaluationResult.disabled(why);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        LabEnvironment.require();
        session(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        LabEnvironment.require();
        session(context).reset();
    }

    private static synchronized LabSession session(ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(NS);
        LabSession s = store.get(LabSession.class, LabSession.class);
        if (s != null && !s.isOpen()) {
            // another test class built its own lab in between (e.g. the image test): start afresh
            store.remove(LabSession.class);
        }
        return store.computeIfAbsent(LabSession.class, k -> LabSession.open(), LabSession.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        Class<?> t = p.getParameter().getType();
        return t == Lab.class || t == Neighd.class || t == LabSession.class || t == ReferenceKernel.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        LabEnvironment.require();
        LabSession s = session(e);
        Class<?> t = p.getParameter().getType();
        if (t == Lab.class) {
            return s.lab;
        }
        if (t == Neighd.class) {
            return s.neighd;
        }
        if (t == ReferenceKernel.class) {
            return s.ref;
        }
        if (t == LabSession.class) {
            return s;
        }
        throw new ParameterResolutionException("cannot resolve " + t);
    }
}
