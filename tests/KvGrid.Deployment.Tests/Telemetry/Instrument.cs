namespace KvGrid.Deployment.Tests.Telemetry;

public enum InstrumentKind { Counter, Histogram, Gauge }

/// <summary>An OpenTelemetry instrument as declared in source: dotted name, UCUM unit, kind.</summary>
public sealed record Instrument(string Name, string Unit, InstrumentKind Kind);
