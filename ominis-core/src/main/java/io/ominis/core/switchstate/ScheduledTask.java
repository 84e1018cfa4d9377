package io.ominis.core.switchstate;

/** One row of FreeSWITCH's {@code tasks} table: a job of the core scheduler. */
public record ScheduledTask(
        Integer taskId,
        String taskDesc,
        String taskGroup,
        Long taskRuntime,
        Integer taskSqlManager,
        String hostname) {
}
