package dev.basalt.it;

import dev.basalt.testkit.DatabaseServer;
import dev.basalt.testkit.PostgresServer;

/** The split deployment over RabbitMQ and PostgreSQL. */
class SplitOnPostgresIT extends SplitDeploymentContract {
    @Override
    DatabaseServer databaseServer() {
        return PostgresServer.shared();
    }
}
