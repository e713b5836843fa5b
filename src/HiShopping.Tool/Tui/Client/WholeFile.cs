namespace HiShopping.Tool.Tui.Client;

/// <summary>A file written aside and moved into place whole: a failure never leaves a half file where the user's was.</summary>
internal static class WholeFile
{
    public static async Task WriteAsync(string path, Func<Stream, Task> write)
    {
        var part = path + ".part";
        try
        {
            await using (var file = File.Create(part))
                await write(file);
            File.Move(part, path, overwrite: true);
        }
        finally
        {
            File.Delete(part);
        }
    }
}
