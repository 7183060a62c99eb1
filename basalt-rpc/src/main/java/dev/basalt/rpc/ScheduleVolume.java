package dev.basalt.rpc;

/** Asks the scheduler to place a volume; everything else it reads from the volume's row. */
public record ScheduleVolume(String volumeId, String requestId) {
}
