package io.mailferry.core.store;

/** The store contract on {@link InMemoryMigrationStore}. */
class InMemoryMigrationStoreTest extends MigrationStoreContract {

    @Override
    protected MigrationStore createStore() {
        return new InMemoryMigrationStore();
    }
}
