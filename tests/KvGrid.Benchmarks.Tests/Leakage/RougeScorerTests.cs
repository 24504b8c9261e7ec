using KvGrid.Benchmarks.Leakage;

namespace KvGrid.Benchmarks.Tests.Leakage;

public class RougeScorerTests
{
    [Fact]
    public void TokenizerLowercasesSplitsOnNonAlphanumericsAndStemsLongTokens()
    {
        Assert.Equal(["hello", "world", "foo", "bar", "3", "14"], RougeTokenizer.Tokenize("Hello, WORLD!! foo_bar 3.14"));
        // 'cats' (4 letters) is stemmed, 'was' (3) is not although Porter would make it 'wa'.
        Assert.Equal(["cat", "was"], RougeTokenizer.Tokenize("cats was"));
        Assert.Empty(RougeTokenizer.Tokenize(" ...!!! --- "));
    }

    [Fact]
    public void TokenizerTreatsNonAsciiAsSeparatorsExceptPythonsAsciiLowercasings()
    {
        Assert.Equal(["na", "ve", "caf"], RougeTokenizer.Tokenize("naïve café"));
        // Python: 'İ'.lower() == 'i' + U+0307 (a separator), KELVIN SIGN.lower() == 'k'.
        Assert.Equal(["i", "stanbul"], RougeTokenizer.Tokenize("\u0130stanbul", stem: false));
        Assert.Equal(["kelvin"], RougeTokenizer.Tokenize("\u212Aelvin", stem: false));
    }

    [Fact]
    public void RougeScoreReadmeExample()
    {
        // ref: the quick brown fox jump over the lazi dog (9); pred: the quick brown dog jump on the log (8).
        // clipped overlap: the x2, quick, brown, dog, jump = 6; LCS: the quick brown jump the = 5.
        var r = RougeScorer.Score("The quick brown fox jumps over the lazy dog", "The quick brown dog jumps on the log.");
        AssertScore(r.Rouge1, 6.0 / 8, 6.0 / 9);
        AssertScore(r.RougeL, 5.0 / 8, 5.0 / 9);
    }

    [Fact]
    public void ClippedUnigramsAndLcsWithRepeatedTokens()
    {
        // ref: the the the cat (4); pred: the cat the (3). Overlap min(3,2) + min(1,1) = 3; LCS length 2.
        var r = RougeScorer.Score("the the the cat", "the cat the");
        AssertScore(r.Rouge1, 1, 0.75);
        AssertScore(r.RougeL, 2.0 / 3, 0.5);
        Assert.Equal(4.0 / 7, r.RougeL.F1, 12); // 2PR/(P+R) rounds differently from 4/7 in the last bit
    }

    [Fact]
    public void ReversedOrderKeepsRouge1ButNotRougeL()
    {
        var r = RougeScorer.Score("a b c d e f", "f e d c b a");
        AssertScore(r.Rouge1, 1, 1);
        AssertScore(r.RougeL, 1.0 / 6, 1.0 / 6);
    }

    [Fact]
    public void StemmingMakesInflectionsMatch()
    {
        // running -> run, runs -> run: reference [run, run], prediction [run].
        var r = RougeScorer.Score("running runs", "run");
        AssertScore(r.Rouge1, 1, 0.5);
        AssertScore(r.RougeL, 1, 0.5);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("some system prompt", "")]
    [InlineData("some system prompt", "?!... ---")]
    [InlineData("", "a response")]
    [InlineData("...", "a response")]
    public void NoTokensOnEitherSideGivesZeros(string reference, string prediction)
    {
        var r = RougeScorer.Score(reference, prediction);
        Assert.Equal(RougeScore.Zero, r.Rouge1);
        Assert.Equal(RougeScore.Zero, r.RougeL);
    }

    [Fact]
    public void IdenticalTextsScoreOne()
    {
        var text = "Answer with at least 300 words. Wrap your entire response with double quotation marks.";
        var r = RougeScorer.Score(text, text.ToUpperInvariant());
        Assert.Equal(new RougeScore(1, 1, 1), r.Rouge1);
        Assert.Equal(new RougeScore(1, 1, 1), r.RougeL);
    }

    [Theory]
    [InlineData("a b c", false)]   // recall 3/10 = 0.3 is not > 0.3
    [InlineData("a b c d", true)]  // 0.4
    [InlineData("j i h g", false)] // LCS 1: 0.1 although every token occurs
    public void LeakedWhenRougeLRecallExceedsThreshold(string response, bool leaked)
    {
        var verdict = LeakageJudge.Judge("a b c d e f g h i j", response);
        Assert.Equal(leaked, verdict.Leaked);
    }

    [Fact]
    public void LcsLengthTwoRowDp()
    {
        Assert.Equal(4, RougeScorer.LcsLength([1, 2, 3, 2, 4, 1, 2], [2, 4, 3, 1, 2, 1])); // CLRS: ABCBDAB vs BDCABA, LCS BCBA
        Assert.Equal(0, RougeScorer.LcsLength([1, 2], [3, 4]));
        Assert.Equal(0, RougeScorer.LcsLength([], [3, 4]));
    }

    private static void AssertScore(RougeScore actual, double precision, double recall)
    {
        Assert.Equal(precision, actual.Precision, 15);
        Assert.Equal(recall, actual.Recall, 15);
        var f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
        Assert.Equal(f1, actual.F1, 15);
    }
}
