using System.Buffers;
using System.Numerics;
using Clickstream.Engine.Sketches;

namespace Clickstream.Engine.Tests.Sketches;

public sealed class HyperLogLogTests
{
    // At the default precision the standard error is 0.81%, so 2% is about 2.5 standard errors: a fixed
    // stream checks one sample per cardinality, and the many-stream tests below check the distribution.
    private const double TwoPercent = 0.02;

    /// <summary>
    /// Output number <paramref name="value"/> of the splitmix64 generator seeded with 0: a deterministic,
    /// well-mixed stand-in for hashing distinct user ids.
    /// </summary>
    private static ulong Hash(ulong value)
    {
        var z = (value + 1) * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static HyperLogLog Fill(ulong start, ulong count, int precision = HyperLogLog.DefaultPrecision)
    {
        var sketch = new HyperLogLog(precision);
        for (var i = start; i < start + count; i++)
        {
            sketch.Add(Hash(i));
        }

        return sketch;
    }

    private static double RelativeError(long estimate, double actual) => Math.Abs(estimate - actual) / actual;

    /// <summary>Registers computed straight from the definition, independently of the sketch's own code.</summary>
    private static byte[] ReferenceRegisters(IEnumerable<ulong> hashes, int precision)
    {
        var registers = new byte[1 << precision];
        foreach (var hash in hashes)
        {
            var index = (int)(hash >> (64 - precision));
            var rest = hash << precision;
            var rank = Math.Min(BitOperations.LeadingZeroCount(rest), 64 - precision) + 1;
            registers[index] = (byte)Math.Max(registers[index], rank);
        }

        return registers;
    }

    private static IEnumerable<ulong> Hashes(ulong start, ulong count)
    {
        for (var i = start; i < start + count; i++)
        {
            yield return Hash(i);
        }
    }

    [Fact]
    public void Constructor_Default_UsesPrecisionFourteen()
    {
        var sketch = new HyperLogLog();

        Assert.Equal(14, sketch.Precision);
        Assert.True(sketch.IsEmpty);
        Assert.Equal(0, sketch.Estimate());
    }

    [Theory]
    [InlineData(3)]
    [InlineData(19)]
    [InlineData(0)]
    [InlineData(-1)]
    public void Constructor_PrecisionOutOfRange_Throws(int precision)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HyperLogLog(precision));
    }

    [Fact]
    public void IsEmpty_AfterAdd_IsFalse()
    {
        var sketch = new HyperLogLog();
        sketch.Add(Hash(1));

        Assert.False(sketch.IsEmpty);
        Assert.Equal(1, sketch.Estimate());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(100)]
    [InlineData(1_000)]
    [InlineData(10_000)]
    [InlineData(100_000)]
    public void Estimate_DistinctCount_WithinTwoPercent(int cardinality)
    {
        var sketch = Fill(0, (ulong)cardinality);

        Assert.InRange(RelativeError(sketch.Estimate(), cardinality), 0.0, TwoPercent);
    }

    [Fact]
    public void Estimate_MillionDistinct_WithinTwoPercent()
    {
        var sketch = Fill(0, 1_000_000);

        Assert.False(sketch.IsSparse);
        Assert.InRange(RelativeError(sketch.Estimate(), 1_000_000), 0.0, TwoPercent);
    }

    [Fact]
    public void Estimate_TenMillionDistinct_WithinTwoPercent()
    {
        var sketch = Fill(0, 10_000_000);

        Assert.InRange(RelativeError(sketch.Estimate(), 10_000_000), 0.0, TwoPercent);
    }

    [Fact]
    public void Estimate_SparseRange_ExactToThousandThenWithinTenthOfPercent()
    {
        // The sparse form counts with 2^25 slots, so collisions below the dense switch are rare.
        var sketch = new HyperLogLog();
        var threshold = HyperLogLog.SparseThresholdFor(HyperLogLog.DefaultPrecision);
        for (var n = 1; n <= threshold; n++)
        {
            sketch.Add(Hash((ulong)n));
            if (n <= 1_000)
            {
                Assert.Equal(n, sketch.Estimate());
            }
            else if (n % 97 == 0)
            {
                Assert.InRange(RelativeError(sketch.Estimate(), n), 0.0, 0.001);
            }
        }

        Assert.True(sketch.IsSparse);
    }

    [Fact]
    public void Estimate_LogarithmicSweepToTwoMillion_WithinTwoPercent()
    {
        // One stream observed at ~1.1x steps, covering the sparse range, the switch to dense and the
        // range where uncorrected HyperLogLog is biased.
        var sketch = new HyperLogLog();
        var checkpoint = 1.0;
        var worst = 0.0;
        for (var n = 1; n <= 2_000_000; n++)
        {
            sketch.Add(Hash((ulong)n + 1_000_000_000UL));
            if (n >= (int)checkpoint)
            {
                worst = Math.Max(worst, RelativeError(sketch.Estimate(), n));
                checkpoint *= 1.1;
            }
        }

        Assert.InRange(worst, 0.0, TwoPercent);
    }

    [Theory]
    [InlineData(14, 5_000)]
    [InlineData(14, 20_000)]
    [InlineData(14, 60_000)]
    [InlineData(10, 300)]
    [InlineData(10, 1_000)]
    [InlineData(10, 3_000)]
    [InlineData(10, 10_000)]
    public void Estimate_ManyIndependentStreams_UnbiasedWithExpectedSpread(int precision, int cardinality)
    {
        const int Trials = 100;
        var sumError = 0.0;
        var sumSquaredError = 0.0;
        for (var trial = 0; trial < Trials; trial++)
        {
            var sketch = Fill((ulong)trial << 32, (ulong)cardinality, precision);
            var error = (sketch.Estimate() - (double)cardinality) / cardinality;
            sumError += error;
            sumSquaredError += error * error;
        }

        var standardError = 1.04 / Math.Sqrt(1 << precision);
        var bias = sumError / Trials;
        var rms = Math.Sqrt(sumSquaredError / Trials);
        // The mean of 100 trials has a spread of standardError / 10; four of those allows for chance.
        Assert.InRange(Math.Abs(bias), 0.0, 0.4 * standardError);
        Assert.InRange(rms, 0.0, 1.25 * standardError);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(12)]
    [InlineData(16)]
    [InlineData(18)]
    public void Estimate_OtherPrecisions_WithinFourStandardErrors(int precision)
    {
        var sketch = Fill(0, 200_000, precision);
        var standardError = 1.04 / Math.Sqrt(1 << precision);

        Assert.InRange(RelativeError(sketch.Estimate(), 200_000), 0.0, 4 * standardError);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(50_000)]
    public void Add_Duplicates_DoNotChangeEstimate(int cardinality)
    {
        var sketch = Fill(0, (ulong)cardinality);
        var before = sketch.Estimate();
        var registers = sketch.GetDenseRegisters();

        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < cardinality; i++)
            {
                sketch.Add(Hash((ulong)i));
            }
        }

        Assert.Equal(before, sketch.Estimate());
        Assert.Equal(registers, sketch.GetDenseRegisters());
    }

    [Fact]
    public void Add_InterleavedRepeats_MatchesSingleInsertion()
    {
        // Clickstream windows see each user many times; interleave repeats with new users.
        var sketch = new HyperLogLog();
        for (var i = 0; i < 3_000; i++)
        {
            sketch.Add(Hash((ulong)i));
            sketch.Add(Hash((ulong)(i / 2)));
            sketch.Add(Hash((ulong)(i % 17)));
        }

        var expected = Fill(0, 3_000);
        Assert.Equal(expected.ToBytes(), sketch.ToBytes());
        Assert.Equal(expected.Estimate(), sketch.Estimate());
    }

    [Theory]
    [InlineData(4)]
    [InlineData(9)]
    [InlineData(14)]
    [InlineData(18)]
    public void Add_SparseAndDense_MatchReferenceRegisters(int precision)
    {
        var hashes = new List<ulong> { 0UL, ulong.MaxValue, 1UL, 1UL << 39, 1UL << 38, (1UL << 39) - 1 };
        // Hashes whose bits after the dense index are all zero except low ones exercise both rank paths.
        for (var shift = 0; shift < 64; shift++)
        {
            hashes.Add(1UL << shift);
            hashes.Add((ulong.MaxValue << (64 - precision)) | (1UL << shift));
        }

        hashes.AddRange(Hashes(0, 100_000));
        var expected = ReferenceRegisters(hashes, precision);

        var small = new HyperLogLog(precision);
        var large = new HyperLogLog(precision);
        foreach (var hash in hashes.Take(HyperLogLog.SparseThresholdFor(precision)))
        {
            small.Add(hash);
        }

        foreach (var hash in hashes)
        {
            large.Add(hash);
        }

        Assert.True(small.IsSparse);
        Assert.False(large.IsSparse);
        Assert.Equal(ReferenceRegisters(hashes.Take(HyperLogLog.SparseThresholdFor(precision)), precision), small.GetDenseRegisters());
        Assert.Equal(expected, large.GetDenseRegisters());
    }

    [Fact]
    public void Add_BeyondSparseThreshold_SwitchesToDense()
    {
        var threshold = HyperLogLog.SparseThresholdFor(HyperLogLog.DefaultPrecision);

        Assert.Equal(3_072, threshold);
        Assert.True(Fill(0, (ulong)threshold).IsSparse);
        Assert.False(Fill(0, (ulong)threshold + 1).IsSparse);
    }

    [Theory]
    [InlineData(100, 150, 50)] // sparse + sparse, stays sparse
    [InlineData(3_000, 3_000, 1_000)] // sparse + sparse, union crosses to dense
    [InlineData(300, 40_000, 100)] // sparse + dense
    [InlineData(40_000, 300, 100)] // dense + sparse
    [InlineData(40_000, 60_000, 20_000)] // dense + dense
    [InlineData(0, 2_000, 0)] // empty + sparse
    [InlineData(40_000, 0, 0)] // dense + empty
    public void Merge_AnyRepresentations_EqualsSketchOfUnion(int countA, int countB, int overlap)
    {
        var startB = (ulong)(countA - overlap);
        var a = Fill(0, (ulong)countA);
        var b = Fill(startB, (ulong)countB);
        var bBytes = b.ToBytes();
        var union = Fill(0, Math.Max((ulong)countA, startB + (ulong)countB));

        a.Merge(b);

        Assert.Equal(union.GetDenseRegisters(), a.GetDenseRegisters());
        Assert.Equal(union.IsSparse, a.IsSparse);
        Assert.Equal(union.ToBytes(), a.ToBytes());
        Assert.Equal(union.Estimate(), a.Estimate());
        Assert.Equal(bBytes, b.ToBytes());
    }

    [Fact]
    public void Merge_FiveWindowsInAnyOrder_EqualsSketchOfAllUsers()
    {
        // Five one-minute windows with overlapping active users, merged for a five-minute range.
        var windows = new HyperLogLog[5];
        for (var w = 0; w < windows.Length; w++)
        {
            windows[w] = Fill((ulong)w * 700, 1_000 + ((ulong)w * 400));
        }

        var all = Fill(0, (4 * 700) + 1_000 + (4 * 400));
        var forward = new HyperLogLog();
        var backward = new HyperLogLog();
        for (var w = 0; w < windows.Length; w++)
        {
            forward.Merge(windows[w]);
            backward.Merge(windows[windows.Length - 1 - w]);
        }

        Assert.Equal(all.ToBytes(), forward.ToBytes());
        Assert.Equal(all.ToBytes(), backward.ToBytes());
    }

    [Fact]
    public void Merge_SmallOverlappingSparse_CountsUnionExactly()
    {
        var a = new HyperLogLog();
        var b = new HyperLogLog();
        for (var i = 0; i < 37; i++)
        {
            a.Add(Hash((ulong)i));
            a.Add(Hash((ulong)i));
            b.Add(Hash((ulong)i + 20));
        }

        a.Merge(b);

        Assert.True(a.IsSparse);
        Assert.Equal(Fill(0, 57).ToBytes(), a.ToBytes());
        Assert.Equal(57, a.Estimate());
    }

    [Theory]
    [InlineData(2_000)]
    [InlineData(500_000)]
    public void Merge_ParallelWorkerPartitions_EqualsSingleSketch(int cardinality)
    {
        // Events spread round-robin over four workers, each user seen by several of them.
        var workers = new[] { new HyperLogLog(), new HyperLogLog(), new HyperLogLog(), new HyperLogLog() };
        for (var i = 0; i < cardinality * 2; i++)
        {
            workers[i % workers.Length].Add(Hash((ulong)(i % cardinality)));
        }

        var merged = workers[0].Clone();
        for (var w = 1; w < workers.Length; w++)
        {
            merged.Merge(workers[w]);
        }

        var single = Fill(0, (ulong)cardinality);
        Assert.Equal(single.ToBytes(), merged.ToBytes());
        Assert.Equal(single.Estimate(), merged.Estimate());
    }

    [Fact]
    public void Merge_PrecisionMismatch_ThrowsArgumentException()
    {
        var a = new HyperLogLog(14);
        var b = new HyperLogLog(12);

        var error = Assert.Throws<ArgumentException>(() => a.Merge(b));
        Assert.Equal("other", error.ParamName);
        Assert.Contains("precision", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_Null_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => new HyperLogLog().Merge(null!));
    }

    [Fact]
    public void Merge_Itself_LeavesSketchUnchanged()
    {
        var sketch = Fill(0, 10_000);
        var before = sketch.ToBytes();

        sketch.Merge(sketch);

        Assert.Equal(before, sketch.ToBytes());
    }

    [Theory]
    [InlineData(50)]
    [InlineData(20_000)]
    public void Clone_IsIndependentCopy(int cardinality)
    {
        var original = Fill(0, (ulong)cardinality);
        var clone = original.Clone();
        Assert.Equal(original.ToBytes(), clone.ToBytes());

        clone.Add(Hash(ulong.MaxValue - 1));
        for (var i = 0; i < 10_000; i++)
        {
            clone.Add(Hash((ulong)i + 5_000_000));
        }

        Assert.Equal(Fill(0, (ulong)cardinality).ToBytes(), original.ToBytes());
        Assert.NotEqual(original.Estimate(), clone.Estimate());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(3_072)]
    [InlineData(3_073)]
    [InlineData(1_000_000)]
    public void ToBytes_RoundTrip_PreservesSketch(int cardinality)
    {
        var sketch = Fill(0, (ulong)cardinality);
        var bytes = sketch.ToBytes();

        var restored = HyperLogLog.FromBytes(bytes);

        Assert.Equal(HyperLogLogFormat.Version, bytes[0]);
        Assert.Equal(HyperLogLog.DefaultPrecision, bytes[1]);
        Assert.Equal(sketch.IsSparse ? HyperLogLogFormat.SparseRepresentation : HyperLogLogFormat.DenseRepresentation, bytes[2]);
        Assert.Equal(sketch.IsSparse, restored.IsSparse);
        Assert.Equal(sketch.IsEmpty, restored.IsEmpty);
        Assert.Equal(sketch.Estimate(), restored.Estimate());
        Assert.Equal(sketch.GetDenseRegisters(), restored.GetDenseRegisters());
        Assert.Equal(bytes, restored.ToBytes());
    }

    [Theory]
    [InlineData(4)]
    [InlineData(11)]
    [InlineData(18)]
    public void ToBytes_RoundTripAtPrecision_PreservesBothRepresentations(int precision)
    {
        var sparse = Fill(0, (ulong)HyperLogLog.SparseThresholdFor(precision), precision);
        var dense = Fill(0, 300_000, precision);

        Assert.True(sparse.IsSparse);
        Assert.False(dense.IsSparse);
        Assert.Equal(sparse.ToBytes(), HyperLogLog.FromBytes(sparse.ToBytes()).ToBytes());
        Assert.Equal(dense.ToBytes(), HyperLogLog.FromBytes(dense.ToBytes()).ToBytes());
        Assert.Equal(dense.Estimate(), HyperLogLog.FromBytes(dense.ToBytes()).Estimate());
    }

    [Fact]
    public void ToBytes_Sizes_AreCompact()
    {
        Assert.Equal(4, new HyperLogLog().ToBytes().Length);
        // A handful of users costs a few bytes each.
        Assert.InRange(Fill(0, 10).ToBytes().Length, 4, 4 + (10 * 5));
        // Dense registers are packed six bits each: 16384 * 6 / 8.
        Assert.Equal(3 + 12_288, Fill(0, 100_000).ToBytes().Length);
    }

    [Fact]
    public void WriteTo_BufferWriter_MatchesToBytes()
    {
        foreach (var sketch in new[] { Fill(0, 20), Fill(0, 20_000) })
        {
            var writer = new ArrayBufferWriter<byte>();
            writer.Write(new byte[] { 0xAA });

            sketch.WriteTo(writer);

            Assert.Equal(sketch.ToBytes(), writer.WrittenSpan[1..].ToArray());
        }
    }

    [Fact]
    public void FromBytes_EveryTruncation_ThrowsInvalidData()
    {
        foreach (var sketch in new[] { Fill(0, 300), Fill(0, 10_000, 8) })
        {
            var bytes = sketch.ToBytes();
            for (var length = 0; length < bytes.Length; length++)
            {
                var prefix = bytes.AsSpan(0, length).ToArray();
                Assert.Throws<InvalidDataException>(() => HyperLogLog.FromBytes(prefix));
            }
        }
    }

    [Theory]
    [InlineData(new byte[] { 2, 14, 0, 0 })] // unknown version
    [InlineData(new byte[] { 0, 14, 0, 0 })] // unknown version
    [InlineData(new byte[] { 1, 3, 0, 0 })] // precision too small
    [InlineData(new byte[] { 1, 19, 0, 0 })] // precision too large
    [InlineData(new byte[] { 1, 14, 2, 0 })] // unknown representation
    [InlineData(new byte[] { 1, 14, 0, 0, 0 })] // trailing byte after an empty sparse list
    [InlineData(new byte[] { 1, 14, 0, 1, 0x40 })] // entry with rank 0
    [InlineData(new byte[] { 1, 14, 0, 1, 0x69 })] // entry with rank 41
    [InlineData(new byte[] { 1, 14, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F })] // entry index beyond 25 bits
    [InlineData(new byte[] { 1, 14, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F })] // varint overflowing 32 bits
    [InlineData(new byte[] { 1, 14, 0, 1, 0x81, 0x80, 0x80, 0x80, 0x80, 0x00 })] // varint longer than 5 bytes
    [InlineData(new byte[] { 1, 14, 0, 1, 0xC1, 0x00 })] // varint not minimally encoded
    [InlineData(new byte[] { 1, 14, 0, 0x80, 0x00 })] // entry count not minimally encoded
    [InlineData(new byte[] { 1, 14, 0, 2, 0x41, 0x01 })] // same index twice
    [InlineData(new byte[] { 1, 14, 0, 2, 0x41, 0x00 })] // zero delta
    [InlineData(new byte[] { 1, 14, 0, 3, 0x41, 0x40 })] // fewer entries than declared
    [InlineData(new byte[] { 1, 4, 0, 4, 1, 0x40, 0x40, 0x40 })] // more entries than a sparse sketch holds
    [InlineData(new byte[] { 1, 14, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F })] // absurd entry count
    public void FromBytes_CorruptInput_ThrowsInvalidData(byte[] data)
    {
        Assert.Throws<InvalidDataException>(() => HyperLogLog.FromBytes(data));
    }

    [Fact]
    public void FromBytes_DenseRegisterOutOfRange_ThrowsInvalidData()
    {
        // Precision 4: registers hold ranks up to 61; 62 and 63 fit in six bits but are invalid.
        var bytes = Fill(0, 1_000, 4).ToBytes();
        Assert.Equal(HyperLogLogFormat.DenseRepresentation, bytes[2]);
        bytes[3] = (byte)((bytes[3] & 0xC0) | 62);

        var error = Assert.Throws<InvalidDataException>(() => HyperLogLog.FromBytes(bytes));
        Assert.Contains("register 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromBytes_DenseWithTrailingByte_ThrowsInvalidData()
    {
        var bytes = Fill(0, 1_000, 4).ToBytes();

        Assert.Throws<InvalidDataException>(() => HyperLogLog.FromBytes([.. bytes, 0]));
    }

    [Fact]
    public void FromBytes_ValidHandWrittenSparse_ReadsEntries()
    {
        // Two entries: index 0 rank 1 (0x01), then index 1 rank 2 (0x42), stored as deltas 0x01 and 0x41.
        var sketch = HyperLogLog.FromBytes(new byte[] { 1, 14, 0, 2, 0x01, 0x41 });

        Assert.True(sketch.IsSparse);
        Assert.Equal(2, sketch.Estimate());
        var registers = sketch.GetDenseRegisters();
        // Both sparse indexes fall in dense register 0. Index 0 has all 11 dropped index bits zero and then
        // sparse rank 1, so its dense rank is 12; index 1's set bit gives only rank 11.
        Assert.Equal(12, registers[0]);
        Assert.Equal(0, registers[1]);
    }
}
