package io.ominis.xmlrpc;

/**
 * What {@code callcenter_config queue <action> <queue>} does to a queue on a node after its definition changed:
 * {@code load} reads it from {@code callcenter.conf} (a new queue), {@code reload} drops and reads it again (a changed
 * one; callers waiting keep their place, as mod_callcenter frees the old settings only once they are unused),
 * {@code unload} drops it (a deleted one).
 */
public enum QueueCommand {
    LOAD("load"),
    RELOAD("reload"),
    UNLOAD("unload");

    private final String action;

    QueueCommand(String action) {
        this.action = action;
    }

    /** The word mod_callcenter expects after {@code queue}. */
    public String action() {
        return action;
    }

    /** Runs this command for {@code queue} through {@code commands}. */
    void apply(CallCenterCommands commands, String queue) {
        switch (this) {
            case LOAD -> commands.queueLoad(queue);
            case RELOAD -> commands.queueReload(queue);
            case UNLOAD -> commands.queueUnload(queue);
            default -> throw new IllegalStateException("unhandled " + this);
        }
    }
}
