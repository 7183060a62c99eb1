package dev.basalt.model;

/**
 * Helpers for Cinder's location strings: {@code host@backend#pool}. The volume service of a
 * backend is addressed by {@code host@backend}; the scheduler places volumes into pools.
 */
public final class BackendName {
    private BackendName() {
    }

    public static String backendOf(String hostWithPool) {
        int hash = hostWithPool.indexOf('#');
        return hash < 0 ? hostWithPool : hostWithPool.substring(0, hash);
    }

    public static String poolOf(String hostWithPool) {
        int hash = hostWithPool.indexOf('#');
        return hash < 0 ? null : hostWithPool.substring(hash + 1);
    }

    public static String withPool(String backend, String pool) {
        return backend + "#" + pool;
    }
}
