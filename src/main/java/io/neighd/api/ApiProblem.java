package io.neighd.api;

/** Bad input found while mapping a request: answered as {@code type} naming {@code field} and {@code value}. */
final class ApiProblem extends RuntimeException {
    private final ProblemType type;
    private final String field;
    private final Object value;

    ApiProblem(ProblemType type, String detail, String field, Object value) {
        super(detail);
        this.type = type;
        this.field = field;
        this.value = value;
    }

    ProblemType type() {
        return type;
    }

    String field() {
        return field;
    }

    Object value() {
        return value;
    }
}
