using System.Diagnostics;
using HiShopping.Api.Auth;

namespace HiShopping.Api.Tests.Auth;

/// <summary>
/// The captcha against the kind of solver an attacker writes in an afternoon: it must read clean renderings of the same
/// glyphs (so it is a fair solver), and must fail on the real pictures.
/// </summary>
public sealed class CaptchaSolverTests
{
    private const int CodeLength = 5;

    [Test]
    public async Task The_solver_reads_the_undistorted_glyphs()
    {
        var codes = new Random(11);
        var read = 0;
        for (var i = 0; i < 100; i++)
        {
            var code = Code(codes);
            if (Solver.Read(CaptchaImage.RenderClean(code), CodeLength) == code) read++;
        }

        Console.WriteLine($"Solver on clean glyphs: {read} of 100 codes read.");
        await Assert.That(read).IsGreaterThanOrEqualTo(90);
    }

    [Test]
    [NotInParallel] // Alone, so the render timing is of rendering and not of whatever runs beside it.
    public async Task The_solver_fails_on_at_least_nine_real_captchas_in_ten()
    {
        var codes = new Random(12);
        int read = 0, characters = 0;
        for (var i = 0; i < 200; i++)
        {
            var code = Code(codes);
            var answer = Solver.Read(Png.DecodeGrey(CaptchaImage.Render(code))!, CodeLength);
            if (answer == code) read++;
            characters += answer.Zip(code).Count(pair => pair.First == pair.Second);
        }

        // The endpoint is unauthenticated, so each picture must be cheap: time 200 more, PNG encoding included.
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        for (var i = 0; i < 200; i++) CaptchaImage.Render(Code(codes));
        wall.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;

        Console.WriteLine($"Solver on real captchas: {read} of 200 codes read ({read / 2.0:0.#}%), {characters} of 1000 characters.");
        Console.WriteLine($"Render per image: {wall.Elapsed.TotalMilliseconds / 200:0.000} ms wall, {cpu.TotalMilliseconds / 200:0.000} ms process CPU.");
        await Assert.That(read).IsLessThanOrEqualTo(20);
    }

    private static string Code(Random random) =>
        string.Concat(Enumerable.Range(0, CodeLength).Select(_ => CaptchaImage.Alphabet[random.Next(CaptchaImage.Alphabet.Length)]));

    /// <summary>
    /// Otsu threshold, despeckle, column-projection segmentation with equal-slice fallback, crop to ink, 12×16 grid,
    /// nearest template by squared distance; the templates come from the same pipeline run on clean single glyphs.
    /// </summary>
    private static class Solver
    {
        private const int GridWidth = 12, GridHeight = 16;
        // A column with this much ink or less is taken for a thin line crossing a gap between letters.
        private const int ThinLine = 5;

        private static readonly Dictionary<char, float[]> Templates = CaptchaImage.Alphabet.ToDictionary(
            c => c, c => Features(Ink(CaptchaImage.RenderClean(c.ToString())), 1)[0]);

        public static string Read(byte[,] grey, int count) =>
            string.Concat(Features(Ink(grey), count).Select(f => Templates.MinBy(t => Distance(t.Value, f)).Key));

        private static bool[,] Ink(byte[,] grey)
        {
            int height = grey.GetLength(0), width = grey.GetLength(1);
            var histogram = new long[256];
            foreach (var p in grey) histogram[p]++;
            long total = grey.Length, sumAll = 0, below = 0, sumBelow = 0;
            for (var i = 0; i < 256; i++) sumAll += i * histogram[i];
            double best = -1;
            var threshold = 128;
            for (var t = 0; t < 256; t++)
            {
                below += histogram[t];
                sumBelow += t * histogram[t];
                if (below == 0 || below == total) continue;
                var gap = (double)sumBelow / below - (double)(sumAll - sumBelow) / (total - below);
                var between = (double)below * (total - below) * gap * gap;
                if (between > best) (best, threshold) = (between, t);
            }
            // An ink pixel with at most one ink neighbour is a speck.
            var ink = new bool[height, width];
            for (var y = 0; y < height; y++)
                for (var x = 0; x < width; x++)
                {
                    if (grey[y, x] > threshold) continue;
                    var neighbours = 0;
                    for (var dy = -1; dy <= 1; dy++)
                        for (var dx = -1; dx <= 1; dx++)
                            if ((dx, dy) != (0, 0) && y + dy >= 0 && y + dy < height && x + dx >= 0 && x + dx < width && grey[y + dy, x + dx] <= threshold) neighbours++;
                    ink[y, x] = neighbours > 1;
                }
            return ink;
        }

        private static List<float[]> Features(bool[,] ink, int count)
        {
            int height = ink.GetLength(0), width = ink.GetLength(1);
            var columns = new int[width];
            for (var y = 0; y < height; y++)
                for (var x = 0; x < width; x++)
                    if (ink[y, x]) columns[x]++;
            // Runs of inked columns; failing that, runs thicker than a crossing line; failing that, equal slices of the ink.
            var slices = Runs(columns, 0);
            if (slices.Count != count) slices = Runs(columns, ThinLine);
            if (slices.Count != count)
            {
                var first = Array.FindIndex(columns, c => c > ThinLine);
                var last = Array.FindLastIndex(columns, c => c > ThinLine);
                if (first < 0) (first, last) = (0, width - 1);
                slices = Enumerable.Range(0, count)
                    .Select(i => (first + (last + 1 - first) * i / count, first + (last + 1 - first) * (i + 1) / count - 1)).ToList();
            }
            return slices.Select(s => Grid(ink, s.From, s.To)).ToList();
        }

        private static List<(int From, int To)> Runs(int[] columns, int floor)
        {
            var runs = new List<(int From, int To)>();
            for (var x = 0; x < columns.Length; x++)
            {
                if (columns[x] <= floor) continue;
                var start = x;
                while (x + 1 < columns.Length && columns[x + 1] > floor) x++;
                if (x - start >= 2) runs.Add((start, x));
            }
            return runs;
        }

        /// <summary>The slice cropped to its ink and averaged down to the grid, stretched to fill it.</summary>
        private static float[] Grid(bool[,] ink, int from, int to)
        {
            int top = int.MaxValue, bottom = -1, left = int.MaxValue, right = -1;
            for (var y = 0; y < ink.GetLength(0); y++)
                for (var x = from; x <= to; x++)
                    if (ink[y, x]) (top, bottom, left, right) = (Math.Min(top, y), y, Math.Min(left, x), Math.Max(right, x));
            var cells = new float[GridWidth * GridHeight];
            if (bottom < 0) return cells;
            var counts = new int[cells.Length];
            for (var y = top; y <= bottom; y++)
                for (var x = left; x <= right; x++)
                {
                    var cell = (y - top) * GridHeight / (bottom - top + 1) * GridWidth + (x - left) * GridWidth / (right - left + 1);
                    counts[cell]++;
                    if (ink[y, x]) cells[cell]++;
                }
            for (var i = 0; i < cells.Length; i++) cells[i] = counts[i] == 0 ? 0 : cells[i] / counts[i];
            return cells;
        }

        private static float Distance(float[] a, float[] b)
        {
            var sum = 0f;
            for (var i = 0; i < a.Length; i++) sum += (a[i] - b[i]) * (a[i] - b[i]);
            return sum;
        }
    }
}
