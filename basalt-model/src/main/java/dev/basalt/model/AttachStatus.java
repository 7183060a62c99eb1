package dev.basalt.model;

/** A volume's {@code attach_status}. */
public enum AttachStatus {
    DETACHED("detached"),
    RESERVED("reserved"),
    ATTACHING("attaching"),
    ATTACHED("attached"),
    DETACHING("detaching"),
    ERROR_ATTACHING("error_attaching"),
    ERROR_DETACHING("error_detaching");

    private final String apiName;

    AttachStatus(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    public static AttachStatus fromApiName(String name) {
        for (AttachStatus s : values()) {
            if (s.apiName.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown attach status " + name);
    }
}
