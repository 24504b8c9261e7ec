using KvGrid.TestSupport;

namespace KvGrid.Sweeps.Tests;

/// <summary>A cluster silo reads only what lies inside its roots, however the spec spells the path.</summary>
public sealed class PathRootsTests : IDisposable
{
    readonly SpecFixture _f = new();
    readonly TempDir _elsewhere = new();

    SweepLoadOptions Roots(string[]? models = null, string[]? data = null) =>
        new(CheckModelFolders: false, Roots: PathRoots.Create(models ?? [], data ?? [TestPaths.SharedData], _elsewhere["cache"]));

    [Fact]
    public void Data_inside_the_roots_loads_whether_absolute_or_relative_to_a_root()
    {
        Assert.NotNull(_f.Parse(_f.Raccoon(), Roots()));
        var relative = _f.Raccoon(data: "data: { system_prompts: sys_ifeval/sys_ifeval_shuffled.jsonl, attacks: raccoon/attacks, defenses: raccoon/defense_template.json }");
        var spec = _f.Parse(relative, Roots());
        Assert.NotNull(spec);
    }

    [Fact]
    public void An_absolute_data_path_outside_the_roots_is_refused_at_its_line()
    {
        var yaml = _f.Raccoon();
        var e = Assert.Throws<SweepSpecException>(() => _f.Parse(yaml, Roots(data: [_elsewhere.Path])));
        Assert.StartsWith(SpecFixture.At(yaml, 4, "\"" + SpecFixture.ShuffledItems), e.Message);
        Assert.Contains("outside this silo's data roots", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Dot_dot_cannot_climb_out_of_a_root()
    {
        var yaml = _f.Raccoon(data: "data: { system_prompts: ../sys_ifeval/sys_ifeval_shuffled.jsonl, attacks: attacks, defenses: defense_template.json }");
        var e = Assert.Throws<SweepSpecException>(() => _f.Parse(yaml, Roots(data: [Path.Combine(TestPaths.SharedData, "raccoon")])));
        Assert.Contains("data.system_prompts: '../sys_ifeval/sys_ifeval_shuffled.jsonl' is outside this silo's data roots", e.Message);
    }

    [Fact]
    public void A_symbolic_link_inside_a_root_cannot_lead_out_of_it()
    {
        var root = _elsewhere["root"];
        Directory.CreateDirectory(root);
        File.CreateSymbolicLink(Path.Combine(root, "prompts.jsonl"), SpecFixture.ShuffledItems);
        var yaml = _f.Raccoon(data: $"data: {{ system_prompts: prompts.jsonl, attacks: \"{SpecFixture.Attacks}\", defenses: \"{SpecFixture.Defenses}\" }}");
        var e = Assert.Throws<SweepSpecException>(() => _f.Parse(yaml, Roots(data: [root, Path.Combine(TestPaths.SharedData, "raccoon")])));
        Assert.Contains("data.system_prompts: 'prompts.jsonl' is outside this silo's data roots", e.Message);
    }

    [Fact]
    public void Model_folders_are_checked_against_model_roots_when_the_silo_has_some()
    {
        var yaml = _f.Raccoon();
        var e = Assert.Throws<SweepSpecException>(() => _f.Parse(yaml, Roots(models: [_elsewhere.Path])));
        Assert.StartsWith(SpecFixture.At(yaml, 3, "\"" + _f.ModelPath), e.Message);
        Assert.Contains("outside this silo's model roots", e.Message);
        // Inside the roots: accepted; without model roots the silo serves only its own configured folders, so the
        // spec's path is never read and not checked here.
        Assert.NotNull(_f.Parse(yaml, Roots(models: [_f.Dir.Path])));
        Assert.NotNull(_f.Parse(yaml, Roots()));
    }

    [Fact]
    public void The_real_path_resolves_links_and_dots_even_for_paths_that_do_not_exist()
    {
        var root = _elsewhere["r"];
        Directory.CreateDirectory(root);
        Directory.CreateSymbolicLink(Path.Combine(root, "up"), "/");
        Assert.Equal("/etc/passwd", PathRoots.RealPath(Path.Combine(root, "up", "etc", "passwd")));
        Assert.Equal(Path.Combine(PathRoots.RealPath(root), "missing", "x"), PathRoots.RealPath(Path.Combine(root, "a", "..", "missing", "x")));
        Assert.False(PathRoots.IsInside(Path.Combine(root, "up", "etc"), [PathRoots.RealPath(root)]));
        Assert.True(PathRoots.IsInside(Path.Combine(root, "missing"), [PathRoots.RealPath(root)]));
        Assert.False(PathRoots.IsInside(root + "-sibling", [PathRoots.RealPath(root)]));
    }

    public void Dispose()
    {
        _f.Dispose();
        _elsewhere.Dispose();
    }
}
