using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;

namespace Clickstream.Dashboard;

/// <summary>
/// Serves the page built from <c>ui/</c> (embedded as resources named <c>ui/&lt;path&gt;</c> by the project's UI
/// build). Hashed assets under <c>/assets/</c> are cached for a year; <c>index.html</c> is never cached, so a new
/// build shows up on the next load. Unknown paths outside <c>/api</c> get the page (one-page app).
/// </summary>
internal sealed class EmbeddedUi
{
    private const string Prefix = "ui/";
    private readonly Assembly _assembly = typeof(EmbeddedUi).Assembly;
    private readonly HashSet<string> _names;
    private readonly FileExtensionContentTypeProvider _types = new();

    public EmbeddedUi()
    {
        _names = new HashSet<string>(_assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)), StringComparer.Ordinal);
        if (!_names.Contains(Prefix + "index.html"))
        {
            throw new InvalidOperationException("the dashboard page is not embedded in Clickstream.Dashboard.dll: build src/Clickstream.Dashboard with Node.js and npm on PATH");
        }
    }

    public async Task ServeAsync(HttpContext http)
    {
        var path = http.Request.Path.Value?.TrimStart('/') ?? string.Empty;
        var name = Prefix + (path.Length == 0 ? "index.html" : path);
        if (!_names.Contains(name))
        {
            if (path.StartsWith("api/", StringComparison.Ordinal) || path.StartsWith("assets/", StringComparison.Ordinal))
            {
                http.Response.StatusCode = 404;
                return;
            }

            name = Prefix + "index.html";
        }

        if (!_types.TryGetContentType(name, out var type))
        {
            type = "application/octet-stream";
        }

        http.Response.ContentType = type;
        http.Response.Headers.CacheControl = name.StartsWith(Prefix + "assets/", StringComparison.Ordinal)
            ? "public, max-age=31536000, immutable"
            : "no-cache";
        http.Response.Headers.XContentTypeOptions = "nosniff";

        // Everything the page needs comes from this server: the policy makes the browser refuse anything else.
        // Inline styles stay allowed because the charts size their elements with style attributes.
        http.Response.Headers.ContentSecurityPolicy =
            "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";
        await using var stream = _assembly.GetManifestResourceStream(name)!;
        http.Response.ContentLength = stream.Length;
        if (!HttpMethods.IsHead(http.Request.Method))
        {
            await stream.CopyToAsync(http.Response.Body, http.RequestAborted);
        }
    }
}
