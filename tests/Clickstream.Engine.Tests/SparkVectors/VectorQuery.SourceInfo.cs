using System.Text.Json;
using Clickstream.Engine.Execution;
using Clickstream.Engine.Plan;
using Clickstream.Engine.Sources;
using Row = object?[];

namespace Clickstream.Engine.Tests.SparkVectors;

internal sealed partial class VectorQuery
{
    /// <summary>One vector source: its columns, how its event time is derived, and the in-memory source feeding it.</summary>
    private sealed class SourceInfo
    {
        private readonly List<string> _columns;
        private readonly List<string> _types;
        private readonly int _eventTimeSource = -1;
        private readonly bool _eventTimeInSeconds;
        private readonly long? _delayMs;
        private readonly int _eventTimeIndex = -1;

        public SourceInfo(string name, JsonElement json, VectorQuery owner)
        {
            _columns = [.. json.GetProperty("columns").EnumerateArray().Select(e => e.GetString()!)];
            _types = [.. json.GetProperty("types").EnumerateArray().Select(e => e.GetString()!)];
            Memory = new MemorySource<Row>(name);
            _delayMs = json.TryGetProperty("watermarkDelayMs", out var d) ? d.GetInt64() : owner.WatermarkDelay;

            if (owner._query.TryGetProperty("eventTime", out var et) && et.ValueKind == JsonValueKind.Object)
            {
                _eventTimeSource = _columns.IndexOf(et.GetProperty("column").GetString()!);
                EventTimeName = owner.WatermarkColumn ?? "eventTime";
            }
            else if (owner.WatermarkColumn is { } wm)
            {
                EventTimeName = wm;
                _eventTimeSource = _columns.IndexOf(wm) is var i and >= 0 ? i : TimeLikeColumn();
            }
            else if (_delayMs is not null)
            {
                EventTimeName = "eventTime";
                _eventTimeSource = TimeLikeColumn();
            }
            else if (_types.IndexOf("timestamp") is var ts and >= 0)
            {
                EventTimeName = _columns[ts];
                _eventTimeSource = ts;
            }

            if (_eventTimeSource >= 0)
            {
                _eventTimeInSeconds = _types[_eventTimeSource] != "timestamp";
                _eventTimeIndex = _columns.IndexOf(EventTimeName!) is var same and >= 0 ? same : _columns.Count;
            }
        }

        public MemorySource<Row> Memory { get; }

        public string? EventTimeName { get; }

        public List<string> Schema => _eventTimeIndex == _columns.Count ? [.. _columns, EventTimeName!] : _columns;

        public Row Convert(JsonElement json)
        {
            var values = json.EnumerateArray().ToList();
            var row = new object?[Schema.Count];
            for (var i = 0; i < _columns.Count; i++)
            {
                var v = VectorValues.FromJson(values[i], _types[i]);
                row[i] = v is VectorValues.Timestamp t ? t.Micros : v;
            }

            if (_eventTimeSource >= 0)
            {
                var raw = row[_eventTimeSource];
                row[_eventTimeIndex] = raw is null ? null : _eventTimeInSeconds ? System.Convert.ToInt64(raw, System.Globalization.CultureInfo.InvariantCulture) * 1_000_000 : (long)raw;
            }

            return row;
        }

        public (List<string> Schema, DataStream<Row> Stream) BuildStream()
        {
            var stream = QueryDefinition.From(Memory);
            if (_eventTimeIndex >= 0)
            {
                var index = _eventTimeIndex;
                stream = _delayMs is { } delay
                    ? stream.WithWatermark(r => (long)r[index]!, delay)
                    : stream.Select(r => r, r => (long)r[index]!);
            }

            return (Schema, stream);
        }

        private int TimeLikeColumn()
        {
            var i = _columns.FindIndex(c => c.Contains("time", StringComparison.OrdinalIgnoreCase));
            return i >= 0 ? i : _columns.IndexOf("value") is var v and >= 0 ? v : 0;
        }
    }
}
