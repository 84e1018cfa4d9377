package io.ominis.api.rest;

import io.ominis.xmlrpc.SwitchControl;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link SwitchControl} that counts what it is told and answers reloads with canned outcomes. */
final class RecordingSwitchControl implements SwitchControl {

    final AtomicInteger aclChanged = new AtomicInteger();
    final AtomicInteger reloads = new AtomicInteger();
    private final boolean configured;
    private final List<NodeOutcome> outcomes;

    RecordingSwitchControl(boolean configured, List<NodeOutcome> outcomes) {
        this.configured = configured;
        this.outcomes = outcomes;
    }

    @Override
    public boolean configured() {
        return configured;
    }

    @Override
    public CompletableFuture<List<NodeOutcome>> reloadAcl() {
        reloads.incrementAndGet();
        return configured ? CompletableFuture.completedFuture(outcomes) : NONE.reloadAcl();
    }

    @Override
    public void aclChanged() {
        aclChanged.incrementAndGet();
    }

    @Override
    public CompletableFuture<List<NodeOutcome>> aclChangedAndReloaded() {
        aclChanged();
        return CompletableFuture.completedFuture(configured ? outcomes : List.of());
    }

    @Override
    public void extensionChanged(String number) {
    }
}
