package dev.basalt.it;

import dev.basalt.testkit.DatabaseServer;
import dev.basalt.testkit.MariaDbServer;

/** The split deployment over RabbitMQ and MariaDB. */
class SplitOnMariaDbIT extends SplitDeploymentContract {
    @Override
    DatabaseServer databaseServer() {
        return MariaDbServer.shared();
    }
}
