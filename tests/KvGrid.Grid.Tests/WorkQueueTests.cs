using KvGrid.Contracts;
using KvGrid.Grid.Coordination;

namespace KvGrid.Grid.Tests;

public sealed class WorkQueueTests
{
    sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    static ContextWork Work(string id, string model = "m") => new(
        id, "sweep", new ModelRef(model, "/models/" + model, "float32", "cpu"), "synthetic", "item", "system", [], "standard_defense", "defense_first",
        new PressRef("knorm", new Dictionary<string, string>()), RemedyRef.None, [0.0, 0.5], [new UserTurn("t", "hi", ScoringKind.Leakage, "Plain")],
        new DecodingRef(16, 0, 42), 0, "system", null);

    static WorkQueue Queue(ManualClock clock, int maxAttempts = 2, params string[] ids) =>
        new(ids.Select(i => Work(i)), TimeSpan.FromSeconds(10), maxAttempts, clock);

    [Fact]
    public void LeasesHandOutEachContextOnceUntilItExpires()
    {
        var clock = new ManualClock();
        var q = Queue(clock, 2, "a", "b", "c");
        var first = q.Take("s1", "m", 2);
        Assert.Equal(["a", "b"], first.Select(l => l.Work.ContextId));
        Assert.Equal(["c"], q.Take("s2", "m", 5).Select(l => l.Work.ContextId));
        Assert.Empty(q.Take("s3", "m", 5));
        Assert.Equal(3, q.Leased);

        clock.Now += TimeSpan.FromSeconds(5);
        Assert.Empty(q.Heartbeat("s1", ["a"]));              // a renewed until +15 s; b not
        clock.Now += TimeSpan.FromSeconds(6);                 // +11 s: b and c expired
        var again = q.Take("s3", "m", 5).Select(l => l.Work.ContextId).ToList();
        Assert.Equal(2, q.LeasesExpired);
        Assert.Equal(["b", "c"], again.Order());
        Assert.Equal(["b"], q.Heartbeat("s1", ["a", "b"]));   // s1 lost b to s3
    }

    [Fact]
    public void OnlyTheRequestedModelIsLeased()
    {
        var q = new WorkQueue([Work("a", "llama"), Work("b", "qwen")], TimeSpan.FromSeconds(10), 3, new ManualClock());
        Assert.Equal(["b"], q.Take("s", "qwen", 5).Select(l => l.Work.ContextId));
        Assert.Empty(q.Take("s", "other", 5));
    }

    [Fact]
    public void FailuresRetryBoundedThenGiveUpWithTheError()
    {
        var clock = new ManualClock();
        var q = Queue(clock, 2, "a");
        var lease = q.Take("s", "m", 1).Single();
        Assert.Equal(1, lease.Attempt);
        Assert.Equal(FailureOutcome.Retried, q.Fail("s", "a", "boom 1"));
        Assert.Equal(2, q.Take("s", "m", 1).Single().Attempt);
        Assert.Equal(FailureOutcome.GaveUp, q.Fail("s", "a", "boom 2"));
        Assert.Equal("boom 2", q.FailedContexts["a"]);
        Assert.True(q.Finished);
        Assert.Equal(FailureOutcome.Ignored, q.Fail("other", "a", "late"));
    }

    [Fact]
    public void ExpiredLeasesCountAsAttempts()
    {
        var clock = new ManualClock();
        var q = Queue(clock, 1, "a");
        q.Take("s", "m", 1);
        clock.Now += TimeSpan.FromMinutes(1);
        Assert.Equal(1, q.ExpireLeases());
        Assert.Contains("stopped responding", q.FailedContexts["a"]);
        Assert.True(q.Finished);
    }

    [Fact]
    public void ReleaseDoesNotCountAnAttempt_AndLateCompletionsCount()
    {
        var clock = new ManualClock();
        var q = Queue(clock, 2, "a", "b");
        q.Take("s1", "m", 2);
        q.Release("s1", ["a"]);
        Assert.Equal(1, q.Take("s2", "m", 1).Single().Attempt);
        Assert.True(q.Complete("b"));
        Assert.False(q.Complete("b"));        // duplicate completion is harmless
        clock.Now += TimeSpan.FromMinutes(1);  // s2's lease of a expires, a is pending again
        q.ExpireLeases();
        Assert.True(q.Complete("a"));          // ...but s2 finishes it anyway: done, not handed out again
        Assert.Empty(q.Take("s3", "m", 5));
        Assert.True(q.Finished);
        Assert.Equal(2, q.Done);
    }

    [Fact]
    public void RestoresDoneAndFailedFromTheLedger()
    {
        var q = new WorkQueue(new[] { "a", "b", "c" }.Select(i => Work(i)), TimeSpan.FromSeconds(10), 3, new ManualClock(),
            done: ["a"], attempts: new Dictionary<string, int> { ["b"] = 1 }, failed: new Dictionary<string, string> { ["c"] = "gone" });
        var lease = q.Take("s", "m", 5).Single();
        Assert.Equal("b", lease.Work.ContextId);
        Assert.Equal(2, lease.Attempt);
        Assert.Equal(1, q.Done);
        Assert.Equal(1, q.Failed);
    }
}
