using System.CommandLine;
using HiShopping.Api.Features.Goods;
using System.Diagnostics;
using System.Globalization;
using HiShopping.Store;
using HiShopping.Store.Catalog;

namespace HiShopping.Tool.Cli;

/// <summary><c>hishop catalog import|export|stats</c>.</summary>
public static class CatalogCommands
{
    public const int PartialImport = 3;

    public static Command Build(Func<string, string?> env)
    {
        var catalog = new Command("catalog", "Import, export and count the goods catalog");

        var file = new Argument<string>("FILE") { Description = "A JSON array or JSON Lines file in the format of docs/catalog-format.md (- for standard input)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Check every record and report, write nothing" };
        var import = new Command("import", "Upsert categories and goods from a file; exit 0 all landed, 3 some rejected, 1 unreadable") { file, dryRun };
        HishopCli.Handle(import, env, c =>
        {
            var path = c.Parse.GetValue(file)!;
            Stream input;
            try
            {
                input = path == "-" ? Console.OpenStandardInput() : File.OpenRead(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                c.Err.WriteLine($"error: cannot read {path}: {e.Message}");
                return HishopCli.Error;
            }
            using var _ = input;
            var importer = c.Get<ICatalogImporter>();
            var watch = Stopwatch.StartNew();
            var progress = new ProgressLine(c.Out);
            var result = importer.Import(input, c.Value(dryRun),
                rejection => { progress.Clear(); c.Err.WriteLine($"rejected {rejection.Position}: {rejection.Reason}"); },
                progress.Report);
            progress.Clear();

            var o = c.Out;
            o.WriteLine($"read {result.Records:N0} records from {path} in {watch.Elapsed.TotalSeconds:0.0} s{(result.DryRun ? " (dry run: nothing was written)" : "")}");
            o.WriteLine($"categories: {Counts(result.Categories, result.DryRun)}");
            o.WriteLine($"goods:      {Counts(result.Goods, result.DryRun)}");
            o.WriteLine($"rejected:   {result.Rejected:N0}{(result.Rejected > 0 ? " (each listed on stderr)" : "")}");
            if (result.FatalError is not null)
            {
                c.Err.WriteLine($"error: {result.FatalError}");
                return result.Landed > 0 ? PartialImport : HishopCli.Error;
            }
            return result.Rejected > 0 ? PartialImport : HishopCli.Ok;
        });

        var outFile = new Option<string?>("--out") { Description = "Write to this file (default: standard output)" };
        var export = new Command("export", "Write the whole catalog as JSON Lines, in the import format") { outFile };
        HishopCli.Handle(export, env, c =>
        {
            var target = c.Value(outFile);
            if (target is not null && !Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(target))))
                throw new UsageException($"the folder of {target} does not exist.");
            if (target is null)
            {
                using var stdout = Console.OpenStandardOutput();
                var written = c.Get<ICatalogExporter>().Export(ReferenceEquals(c.Out, Console.Out) ? stdout : new WriterStream(c.Out));
                c.Err.WriteLine($"exported {written.Categories:N0} categories, {written.Goods:N0} goods, {written.Skus:N0} SKUs");
                return HishopCli.Ok;
            }
            var temp = target + ".partial";
            ExportResult result;
            using (var stream = File.Create(temp)) result = c.Get<ICatalogExporter>().Export(stream);
            File.Move(temp, target, overwrite: true);
            c.Out.WriteLine($"exported {result.Categories:N0} categories, {result.Goods:N0} goods, {result.Skus:N0} SKUs to {Path.GetFullPath(target)}");
            return HishopCli.Ok;
        });

        var stats = new Command("stats", "Count categories, goods and SKUs") { Output.Json };
        HishopCli.Handle(stats, env, c =>
        {
            var s = c.Get<ICatalogService>().Stats();
            if (c.Value(Output.Json))
            {
                Output.WriteJson(c.Out, CatalogStatsResponse.From(s));
                return HishopCli.Ok;
            }
            Output.Fields(c.Out,
            [
                ("Categories", $"{s.Categories:N0} ({s.LeafCategories:N0} leaves)"), ("Goods", $"{s.Goods:N0} ({s.ActiveGoods:N0} on sale)"),
                ("SKUs", $"{s.Skus:N0} ({s.SkusInStock:N0} in stock)"), ("Last updated", Times.Iso(s.LastUpdatedAt) ?? "-"),
            ]);
            return HishopCli.Ok;
        });

        catalog.Subcommands.Add(import);
        catalog.Subcommands.Add(export);
        catalog.Subcommands.Add(stats);
        return catalog;
    }

    private static string Counts(UpsertResult r, bool dryRun) =>
        dryRun ? $"{r.Unchanged:N0} valid" : $"{r.Inserted:N0} new, {r.Updated:N0} updated, {r.Unchanged:N0} unchanged";

    /// <summary>A progress bar redrawn in place on a terminal; a plain line every few seconds anywhere else.</summary>
    private sealed class ProgressLine(TextWriter output)
    {
        private readonly bool _terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        private readonly Stopwatch _sinceLast = Stopwatch.StartNew();
        private bool _drawn;

        public void Report(ImportProgress p)
        {
            var percent = p.BytesTotal > 0 ? Math.Min(100, p.BytesRead * 100 / p.BytesTotal) : -1;
            if (_terminal)
            {
                if (_sinceLast.ElapsedMilliseconds < 100 && percent != 100) return;
                var filled = percent < 0 ? 0 : (int)(percent * 30 / 100);
                output.Write($"\r[{new string('#', filled)}{new string('.', 30 - filled)}] {(percent < 0 ? "" : percent + "% ")}{p.Records:N0} records, {p.Rejected:N0} rejected ");
                _drawn = true;
            }
            else
            {
                if (_sinceLast.ElapsedMilliseconds < 2000) return;
                output.WriteLine($"progress: {p.Records:N0} records, {p.Rejected:N0} rejected{(percent < 0 ? "" : $" ({percent}%)")}");
            }
            _sinceLast.Restart();
        }

        public void Clear()
        {
            if (!_drawn) return;
            output.Write("\r" + new string(' ', 79) + "\r");
            _drawn = false;
        }
    }

    /// <summary>Bytes to a TextWriter, for exporting to a writer that is not the real standard output (tests).</summary>
    private sealed class WriterStream(TextWriter writer) : Stream
    {
        private readonly System.Text.Decoder _decoder = System.Text.Encoding.UTF8.GetDecoder();

        public override void Write(byte[] buffer, int offset, int count)
        {
            var chars = new char[_decoder.GetCharCount(buffer, offset, count)];
            _decoder.GetChars(buffer, offset, count, chars, 0);
            writer.Write(chars);
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => writer.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
