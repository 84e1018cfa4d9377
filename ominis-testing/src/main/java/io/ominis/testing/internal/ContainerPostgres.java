package io.ominis.testing.internal;

import java.util.Map;

/**
 * Starts PostgreSQL with Testcontainers. Kept in its own class so that Testcontainers, an optional dependency, is
 * loaded only when it is on the class path and Docker answers.
 */
final class ContainerPostgres {

    private ContainerPostgres() {
    }

    static boolean available() {
        try {
            Class.forName("org.testcontainers.DockerClientFactory", false, ContainerPostgres.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return false;
        }
        try {
            return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @SuppressWarnings("resource") // closed through the returned server, which JUnit closes at the end of the run
    static PostgresServer start() {
        var container = new org.testcontainers.postgresql.PostgreSQLContainer("postgres:15-alpine");
        container.start();
        return new PostgresServer(container.getHost(), container.getMappedPort(5432), container.getUsername(),
                container.getPassword(), container.getDatabaseName(), Map.of(), container);
    }
}
