using Clickstream.Engine.Checkpointing;
using Clickstream.Engine.Execution;

namespace Clickstream.Engine.Operators;

/// <summary>The executor's view of a stateful operator.</summary>
internal interface IStatefulRuntime
{
    int OperatorId { get; }

    OperatorProgress LastProgress { get; }

    /// <summary>Spark's <c>shouldRunAnotherBatch</c>: does the operator need a no-data batch at this watermark?</summary>
    bool ShouldRunAnotherBatch(long newWatermarkMs);

    void Load(CheckpointLog log, long version);

    void Commit(CheckpointLog log, long version, bool snapshot, long retainVersions);
}
