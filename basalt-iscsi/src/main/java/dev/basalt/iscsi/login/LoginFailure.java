package dev.basalt.iscsi.login;

/** Ends a login with a non-zero status; the message is for the target's log only, never the peer. */
public final class LoginFailure extends Exception {
    private final int status;

    public LoginFailure(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
