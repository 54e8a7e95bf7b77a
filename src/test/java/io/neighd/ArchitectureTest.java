package io.neighd;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules docs/architecture.md states, checked on the production classes rather than trusted:
 * the engine packages run in the kernel's order and know nothing of Spring, pcap4j or the
 * service; top-level packages form no cycles; and outside the engine, code sees the engine only
 * through its boundary ({@code engine.Netlink}, {@code engine.EngineLoop} and the values they
 * answer with) — never a table, an entry, a device or a timer wheel, which belong to the engine
 * thread. Each rule also has a control showing it would catch the violation it is about.
 */
class ArchitectureTest {
    private static final String[] CORE = {"io.neighd.wire..", "io.neighd.errno..", "io.neighd.time..",
            "io.neighd.neighbour..", "io.neighd.ip..", "io.neighd.ipv6..", "io.neighd.arp..", "io.neighd.ndisc..",
            "io.neighd.engine.."};
    private static final String[] OUTER = {"io.neighd.link..", "io.neighd.config..", "io.neighd.service..",
            "io.neighd.api..", "io.neighd.metrics..", "io.neighd.cluster.."};
    private static final String[] FRAMEWORKS = {"org.springframework..", "org.pcap4j..", "com.sun.jna..",
            "io.micrometer..", "com.fasterxml..", "tools.jackson..", "jakarta..", "org.slf4j.."};

    /** The engine's boundary classes that are not values but are meant for the outside. */
    private static final Set<String> BOUNDARY = Set.of(
            "io.neighd.engine.Netlink", "io.neighd.engine.EngineLoop", "io.neighd.engine.RxPort",
            "io.neighd.engine.FrameSource", "io.neighd.engine.EngineListener", "io.neighd.engine.Sysctl",
            "io.neighd.engine.SysctlFile", "io.neighd.engine.InterfaceStats", "io.neighd.engine.Views",
            "io.neighd.engine.EngineFaults",
            "io.neighd.time.Clock", "io.neighd.time.SystemClock", "io.neighd.time.ManualClock",
            "io.neighd.time.Jiffies", "io.neighd.neighbour.NeighFlags", "io.neighd.ip.Scope",
            "io.neighd.ip.Transmitter", "io.neighd.ipv6.McastFilter");

    /**
     * Engine state: anything of the engine packages that is not a value (record, enum, the
     * wire and errno packages) or part of the boundary above.
     */
    private static final DescribedPredicate<JavaClass> ENGINE_STATE = new DescribedPredicate<>(
            "engine state types (neither values nor the engine's boundary)") {
        @Override
        public boolean test(JavaClass c) {
            String p = c.getPackageName();
            boolean enginePackage = p.startsWith("io.neighd.neighbour") || p.startsWith("io.neighd.ip")
                    || p.startsWith("io.neighd.arp") || p.startsWith("io.neighd.ndisc") || p.startsWith("io.neighd.time")
                    || p.startsWith("io.neighd.engine");
            if (!enginePackage) {
                return false;
            }
            JavaClass top = c;
            while (top.getEnclosingClass().isPresent() && !top.isRecord() && !top.isEnum()) {
                top = top.getEnclosingClass().get();
            }
            return !c.isRecord() && !c.isEnum() && !BOUNDARY.contains(c.getName()) && !BOUNDARY.contains(top.getName());
        }
    };

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.neighd");
    }

    private static void check(ArchRule rule) {
        rule.check(production);
    }

    @Test
    void theEnginePackagesKnowNothingOfFrameworksOrTheService() {
        check(noClasses().that().resideInAnyPackage(CORE).should().dependOnClassesThat()
                .resideInAnyPackage(FRAMEWORKS).because("the engine is plain Java, driven from tests in microseconds"));
        check(noClasses().that().resideInAnyPackage(CORE).should().dependOnClassesThat()
                .resideInAnyPackage(OUTER).because("the service is built on the engine, not the other way round"));
    }

    /**
     * wire/errno/time → neighbour → ip → ipv6 → arp → ndisc → engine: each package may use those
     * before it and none after. ndisc sits above arp only for the frame's reason codes and trace
     * (arp.Reason, arp.ArpTrace); arp knows nothing of IPv6.
     */
    @Test
    void theEnginePackagesRunInTheKernelsOrder() {
        check(noClasses().that().resideInAnyPackage("io.neighd.wire..", "io.neighd.errno..", "io.neighd.time..")
                .should().dependOnClassesThat().resideInAnyPackage("io.neighd.neighbour..", "io.neighd.ip..",
                        "io.neighd.ipv6..", "io.neighd.arp..", "io.neighd.ndisc..", "io.neighd.engine.."));
        check(noClasses().that().resideInAPackage("io.neighd.neighbour..").should().dependOnClassesThat()
                .resideInAnyPackage("io.neighd.ip..", "io.neighd.ipv6..", "io.neighd.arp..", "io.neighd.ndisc..",
                        "io.neighd.engine..")
                .because("net/core/neighbour.c serves every protocol and knows none"));
        check(noClasses().that().resideInAPackage("io.neighd.ip..").should().dependOnClassesThat()
                .resideInAnyPackage("io.neighd.ipv6..", "io.neighd.arp..", "io.neighd.ndisc..", "io.neighd.engine.."));
        check(noClasses().that().resideInAPackage("io.neighd.ipv6..").should().dependOnClassesThat()
                .resideInAnyPackage("io.neighd.arp..", "io.neighd.ndisc..", "io.neighd.engine..")
                .because("addrconf reaches ndisc through a port, as the kernel's notifier chains do"));
        check(noClasses().that().resideInAPackage("io.neighd.arp..").should().dependOnClassesThat()
                .resideInAnyPackage("io.neighd.ipv6..", "io.neighd.ndisc..", "io.neighd.engine..")
                .because("arp.c knows nothing of IPv6"));
        check(noClasses().that().resideInAPackage("io.neighd.ndisc..").should().dependOnClassesThat()
                .resideInAPackage("io.neighd.engine.."));
    }

    @Test
    void topLevelPackagesFormNoCycles() {
        check(slices().matching("io.neighd.(*)..").should().beFreeOfCycles());
    }

    @Test
    void outsideTheEngineOnlyItsBoundaryAndValuesAreSeen() {
        check(noClasses().that().resideInAnyPackage(OUTER).or().resideInAPackage("io.neighd")
                .should().dependOnClassesThat(ENGINE_STATE)
                .because("engine state belongs to the engine thread: the outside calls Netlink on it "
                        + "and reads the snapshots it publishes"));
    }

    @Test
    void theApiSeesOnlyTheServiceAndValues() {
        check(noClasses().that().resideInAPackage("io.neighd.api..").should().dependOnClassesThat(
                        ENGINE_STATE.or(DescribedPredicate.describe("the engine's boundary",
                                c -> BOUNDARY.contains(c.getName()) && c.getPackageName().startsWith("io.neighd.engine"))))
                .because("controllers map HTTP to the service; the service talks to the engine"));
    }

    /** The control: the state predicate and the rule catch what they are about. */
    @Test
    void theRulesCatchWhatTheyAreAbout() {
        JavaClasses engine = new ClassFileImporter().importPackages("io.neighd.engine");
        JavaClass table = new ClassFileImporter().importClass(io.neighd.neighbour.NeighbourTable.class);
        assertThat(ENGINE_STATE.test(table)).as("NeighbourTable is engine state").isTrue();
        assertThat(ENGINE_STATE.test(new ClassFileImporter().importClass(io.neighd.neighbour.NeighSnapshot.class)))
                .as("a snapshot is a value").isFalse();
        EvaluationResult r = noClasses().that().resideInAPackage("io.neighd.engine").should().dependOnClassesThat(ENGINE_STATE)
                .evaluate(engine);
        assertThat(r.hasViolation()).as("the engine itself depends on its state").isTrue();
    }
}
