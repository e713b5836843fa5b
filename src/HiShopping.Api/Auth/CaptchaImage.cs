using System.Security.Cryptography;

namespace HiShopping.Api.Auth;

/// <summary>Draws captcha text as a distorted greyscale PNG: scaled bitmap glyphs, per-glyph jitter, a wave, noise and lines.</summary>
public static class CaptchaImage
{
    public const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    public const int Width = 160;
    public const int Height = 60;

    // 5×7 glyphs, one string per row.
    private static readonly Dictionary<char, string[]> Glyphs = new()
    {
        ['A'] = [".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"],
        ['B'] = ["####.", "#...#", "#...#", "####.", "#...#", "#...#", "####."],
        ['C'] = [".###.", "#...#", "#....", "#....", "#....", "#...#", ".###."],
        ['D'] = ["####.", "#...#", "#...#", "#...#", "#...#", "#...#", "####."],
        ['E'] = ["#####", "#....", "#....", "####.", "#....", "#....", "#####"],
        ['F'] = ["#####", "#....", "#....", "####.", "#....", "#....", "#...."],
        ['G'] = [".###.", "#...#", "#....", "#.###", "#...#", "#...#", ".####"],
        ['H'] = ["#...#", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"],
        ['J'] = ["..###", "...#.", "...#.", "...#.", "...#.", "#..#.", ".##.."],
        ['K'] = ["#...#", "#..#.", "#.#..", "##...", "#.#..", "#..#.", "#...#"],
        ['L'] = ["#....", "#....", "#....", "#....", "#....", "#....", "#####"],
        ['M'] = ["#...#", "##.##", "#.#.#", "#.#.#", "#...#", "#...#", "#...#"],
        ['N'] = ["#...#", "##..#", "#.#.#", "#..##", "#...#", "#...#", "#...#"],
        ['P'] = ["####.", "#...#", "#...#", "####.", "#....", "#....", "#...."],
        ['Q'] = [".###.", "#...#", "#...#", "#...#", "#.#.#", "#..#.", ".##.#"],
        ['R'] = ["####.", "#...#", "#...#", "####.", "#.#..", "#..#.", "#...#"],
        ['S'] = [".####", "#....", "#....", ".###.", "....#", "....#", "####."],
        ['T'] = ["#####", "..#..", "..#..", "..#..", "..#..", "..#..", "..#.."],
        ['U'] = ["#...#", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."],
        ['V'] = ["#...#", "#...#", "#...#", "#...#", "#...#", ".#.#.", "..#.."],
        ['W'] = ["#...#", "#...#", "#...#", "#.#.#", "#.#.#", "#.#.#", ".#.#."],
        ['X'] = ["#...#", "#...#", ".#.#.", "..#..", ".#.#.", "#...#", "#...#"],
        ['Y'] = ["#...#", "#...#", ".#.#.", "..#..", "..#..", "..#..", "..#.."],
        ['Z'] = ["#####", "....#", "...#.", "..#..", ".#...", "#....", "#####"],
        ['2'] = [".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"],
        ['3'] = ["####.", "....#", "....#", ".###.", "....#", "....#", "####."],
        ['4'] = ["...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."],
        ['5'] = ["#####", "#....", "####.", "....#", "....#", "#...#", ".###."],
        ['6'] = [".###.", "#....", "#....", "####.", "#...#", "#...#", ".###."],
        ['7'] = ["#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."],
        ['8'] = [".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."],
        ['9'] = [".###.", "#...#", "#...#", ".####", "....#", "....#", ".###."],
    };

    public static byte[] Render(string text)
    {
        var pixels = new byte[Height, Width];
        for (var y = 0; y < Height; y++)
            for (var x = 0; x < Width; x++)
                pixels[y, x] = (byte)(225 + RandomNumberGenerator.GetInt32(30));

        const int scale = 4;
        var advance = (Width - 16) / Math.Max(1, text.Length);
        var phase = RandomNumberGenerator.GetInt32(628) / 100.0;
        for (var i = 0; i < text.Length; i++)
        {
            if (!Glyphs.TryGetValue(char.ToUpperInvariant(text[i]), out var glyph)) continue;
            var originX = 8 + i * advance + RandomNumberGenerator.GetInt32(-3, 4);
            var originY = 12 + RandomNumberGenerator.GetInt32(-6, 7);
            var slant = RandomNumberGenerator.GetInt32(-30, 31) / 100.0;
            var ink = (byte)RandomNumberGenerator.GetInt32(10, 90);
            for (var gy = 0; gy < 7 * scale; gy++)
                for (var gx = 0; gx < 5 * scale; gx++)
                {
                    if (glyph[gy / scale][gx / scale] != '#') continue;
                    var x = originX + gx + (int)(slant * (gy - 14));
                    var y = originY + gy + (int)Math.Round(3 * Math.Sin(phase + x / 11.0));
                    if (x >= 0 && x < Width && y >= 0 && y < Height) pixels[y, x] = ink;
                }
        }

        for (var line = 0; line < 4; line++)
        {
            double y0 = RandomNumberGenerator.GetInt32(Height), y1 = RandomNumberGenerator.GetInt32(Height);
            var shade = (byte)RandomNumberGenerator.GetInt32(60, 160);
            for (var x = 0; x < Width; x++)
            {
                var y = (int)(y0 + (y1 - y0) * x / Width);
                if (y >= 0 && y < Height) pixels[y, x] = shade;
            }
        }
        for (var dot = 0; dot < 300; dot++)
            pixels[RandomNumberGenerator.GetInt32(Height), RandomNumberGenerator.GetInt32(Width)] = (byte)RandomNumberGenerator.GetInt32(256);

        return Png.EncodeGrey(pixels);
    }
}
