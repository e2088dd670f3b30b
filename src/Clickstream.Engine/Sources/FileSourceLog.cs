using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Clickstream.Engine.Checkpointing;

namespace Clickstream.Engine.Sources;

/// <summary>
/// The file source's metadata log in its checkpoint folder (<c>sources/&lt;i&gt;/</c>): entry <c>N</c> lists the
/// files of log offset N, one JSON object per line after a <c>v1</c> version line, like Spark's
/// <c>FileStreamSourceLog</c>. Entries are created atomically and never changed. Format:
/// <c>docs/formats/file-source-log.md</c>. Used by the reader on the driver thread only.
/// </summary>
internal sealed class FileSourceLog
{
    private const string Version = "v1";

    // Paths are written readably (no \uXXXX for non-ASCII); the log is never embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public FileSourceLog(CheckpointFolder folder)
    {
        Folder = folder;
    }

    public CheckpointFolder Folder { get; }

    public string PathOf(long id) => Folder.Describe(Name(id));

    public bool Exists(long id) => Folder.Read(Name(id)) is not null;

    /// <summary>The ids of all entries, ascending. Other names (e.g. temporary files of a write) are ignored.</summary>
    public List<long> Ids()
    {
        var ids = new List<long>();
        foreach (var name in Folder.List())
        {
            if (long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                ids.Add(id);
            }
        }

        ids.Sort();
        return ids;
    }

    /// <summary>Creates entry <paramref name="id"/>; false if it already exists.</summary>
    public bool TryCreate(long id, IReadOnlyList<FileEntry> files)
    {
        var text = new StringBuilder(Version).Append('\n');
        using var buffer = new MemoryStream();
        using var json = new Utf8JsonWriter(buffer, WriterOptions);
        foreach (var file in files)
        {
            buffer.SetLength(0);
            json.Reset(buffer);
            json.WriteStartObject();
            json.WriteString("path", file.Path);
            json.WriteNumber("timestamp", file.TimestampMs);
            json.WriteNumber("size", file.Size);
            json.WriteEndObject();
            json.Flush();
            text.Append(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length)).Append('\n');
        }

        return Folder.TryCreate(Name(id), Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>Reads entry <paramref name="id"/>, in the order it was written.</summary>
    public List<FileEntry> Read(long id)
    {
        var path = PathOf(id);
        var bytes = Folder.Read(Name(id))
            ?? throw new InvalidDataException($"file source log entry {path} is missing: the files of log offset {id} are unknown");
        var text = Encoding.UTF8.GetString(bytes);

        var lines = text.Split('\n');
        if (lines[0] != Version)
        {
            throw new InvalidDataException($"{path}: unsupported file source log version '{lines[0]}' (expected '{Version}')");
        }

        var files = new List<FileEntry>(lines.Length - 1);
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length > 0)
            {
                files.Add(ParseLine(path, lines[i]));
            }
        }

        return files;
    }

    private static string Name(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static FileEntry ParseLine(string logPath, string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var file = root.GetProperty("path").GetString();
            if (!string.IsNullOrEmpty(file))
            {
                return new FileEntry(file, root.GetProperty("timestamp").GetInt64(), root.GetProperty("size").GetInt64());
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{logPath}: bad file entry '{line}'", e);
        }

        throw new InvalidDataException($"{logPath}: file entry without a path: '{line}'");
    }
}
