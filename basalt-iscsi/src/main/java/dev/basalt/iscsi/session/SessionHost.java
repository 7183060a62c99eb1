package dev.basalt.iscsi.session;

import dev.basalt.iscsi.login.LoginResult;
import dev.basalt.iscsi.login.TargetDirectory;
import dev.basalt.iscsi.scsi.CommandSet;
import dev.basalt.iscsi.scsi.LunTable;

/** What a connection needs from the target that runs it. */
public interface SessionHost extends TargetDirectory {

    /** A session bound to the target: its TSIH and, for a normal session, the units it serves. */
    record Binding(int tsih, LunTable units) {
    }

    /**
     * Registers a finished login. A normal session is bound to its export's units; an older session
     * of the same initiator name and ISID on the same export is closed (session reinstatement).
     *
     * @return the binding, or null when the export was removed meanwhile
     */
    Binding attach(Connection connection, LoginResult login);

    /** Whether a session with this TSIH is running. */
    boolean hasSession(int tsih);

    /** The connection ended; forget it. */
    void detach(Connection connection);

    CommandSet commands();

    /** Where the sessions count the data they carry. */
    DataCounters dataCounters();
}
