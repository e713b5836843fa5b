namespace HiShopping.Api.Auth;

/// <summary>
/// Draws captcha text as a greyscale PNG that a person reads and a template matcher does not: stroke glyphs of varying
/// thickness, each rotated, sheared, scaled and shifted, packed so that neighbours touch; distractor curves in the same ink
/// across the text; a smooth random warp of the whole picture; shaded background and speckle.
/// </summary>
public static class CaptchaImage
{
    public const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    public const int Width = 220;
    public const int Height = 80;

    /// <summary>Each character as polylines in a unit box (x right, y down, both 0..1).</summary>
    private static readonly Dictionary<char, (double X, double Y)[][]> Glyphs = new()
    {
        ['A'] = [Line(0, 1, 0.5, 0, 1, 1), Line(0.22, 0.64, 0.78, 0.64)],
        ['B'] = [Line(0, 0, 0, 1), Join(Line(0, 0, 0.58, 0), Arc(0.58, 0.24, 0.34, 0.24, -90, 90), Line(0.58, 0.48, 0, 0.48)),
            Join(Line(0, 0.48, 0.64, 0.48), Arc(0.64, 0.74, 0.36, 0.26, -90, 90), Line(0.64, 1, 0, 1))],
        ['C'] = [Arc(0.52, 0.5, 0.5, 0.5, -40, -320)],
        ['D'] = [Line(0, 0, 0, 1), Join(Line(0, 0, 0.42, 0), Arc(0.42, 0.5, 0.58, 0.5, -90, 90), Line(0.42, 1, 0, 1))],
        ['E'] = [Line(1, 0, 0, 0, 0, 1, 1, 1), Line(0, 0.5, 0.75, 0.5)],
        ['F'] = [Line(1, 0, 0, 0, 0, 1), Line(0, 0.5, 0.75, 0.5)],
        ['G'] = [Join(Arc(0.5, 0.5, 0.5, 0.5, -45, -360), Line(1, 0.5, 0.55, 0.5))],
        ['H'] = [Line(0, 0, 0, 1), Line(1, 0, 1, 1), Line(0, 0.5, 1, 0.5)],
        ['J'] = [Line(0.35, 0, 1, 0), Join(Line(0.8, 0, 0.8, 0.68), Arc(0.42, 0.68, 0.38, 0.32, 0, 180))],
        ['K'] = [Line(0, 0, 0, 1), Line(1, 0, 0, 0.62), Line(0.34, 0.42, 1, 1)],
        ['L'] = [Line(0, 0, 0, 1, 0.9, 1)],
        ['M'] = [Line(0, 1, 0, 0, 0.5, 0.62, 1, 0, 1, 1)],
        ['N'] = [Line(0, 1, 0, 0, 1, 1, 1, 0)],
        ['P'] = [Line(0, 1, 0, 0), Join(Line(0, 0, 0.58, 0), Arc(0.58, 0.27, 0.42, 0.27, -90, 90), Line(0.58, 0.54, 0, 0.54))],
        ['Q'] = [Arc(0.5, 0.46, 0.5, 0.46, 0, 360), Line(0.55, 0.66, 1.02, 1.06)],
        ['R'] = [Line(0, 1, 0, 0), Join(Line(0, 0, 0.58, 0), Arc(0.58, 0.27, 0.42, 0.27, -90, 90), Line(0.58, 0.54, 0, 0.54)),
            Line(0.42, 0.54, 1, 1)],
        ['S'] = [Join(Arc(0.5, 0.25, 0.46, 0.25, -25, -270), Arc(0.5, 0.75, 0.5, 0.25, -90, 155))],
        ['T'] = [Line(0, 0, 1, 0), Line(0.5, 0, 0.5, 1)],
        ['U'] = [Join(Line(0, 0, 0, 0.6), Arc(0.5, 0.6, 0.5, 0.4, 180, 0), Line(1, 0.6, 1, 0))],
        ['V'] = [Line(0, 0, 0.5, 1, 1, 0)],
        ['W'] = [Line(0, 0, 0.22, 1, 0.5, 0.3, 0.78, 1, 1, 0)],
        ['X'] = [Line(0, 0, 1, 1), Line(1, 0, 0, 1)],
        ['Y'] = [Line(0, 0, 0.5, 0.5, 1, 0), Line(0.5, 0.5, 0.5, 1)],
        ['Z'] = [Line(0, 0, 1, 0, 0, 1, 1, 1)],
        ['2'] = [Join(Arc(0.5, 0.3, 0.48, 0.3, -165, 30), Line(0.92, 0.45, 0, 1, 1, 1))],
        ['3'] = [Join(Arc(0.48, 0.255, 0.44, 0.255, -155, 90), Arc(0.48, 0.755, 0.5, 0.245, -90, 155))],
        ['4'] = [Line(0.7, 1, 0.7, 0, 0, 0.68, 1, 0.68)],
        ['5'] = [Join(Line(0.9, 0, 0.12, 0, 0.06, 0.46), Arc(0.45, 0.68, 0.5, 0.31, -125, 145))],
        ['6'] = [Join(Arc(0.5, 0.28, 0.44, 0.28, -30, -180), Line(0.06, 0.28, 0.06, 0.7), Arc(0.52, 0.7, 0.46, 0.3, 180, -180))],
        ['7'] = [Line(0, 0, 1, 0, 0.35, 1)],
        ['8'] = [Arc(0.5, 0.25, 0.4, 0.25, 90, 450), Arc(0.5, 0.74, 0.48, 0.26, -90, 270)],
        ['9'] = [Join(Arc(0.48, 0.3, 0.46, 0.3, 0, 360), Line(0.94, 0.3, 0.94, 0.72), Arc(0.5, 0.72, 0.44, 0.28, 0, 150))],
    };

    public static byte[] Render(string text)
    {
        var random = Random.Shared;
        var glyphs = GlyphsOf(text);
        var paper = BlankPaper();

        // Each glyph is shaped first (size, rotation, shear, thickness), so its real extent is known before it is placed.
        var baseHeight = Between(random, 42, 48);
        var shaped = new Shaped[glyphs.Count];
        for (var i = 0; i < glyphs.Count; i++)
        {
            var height = baseHeight * Between(random, 0.9, 1.1);
            var width = height * Between(random, 0.56, 0.7);
            // Up to ±25°, most glyphs leaning less (a triangular spread), so a person rarely has to tilt their head far.
            var angle = (Between(random, -12.5, 12.5) + Between(random, -12.5, 12.5)) * Math.PI / 180;
            shaped[i] = Shape(glyphs[i], width, height, angle, Between(random, -0.1, 0.1), Between(random, 2.4, 4));
        }

        // Neighbours' extents overlap by a few pixels: the letters touch, so no empty column falls between them,
        // yet their bodies stay apart enough for a person. When the row would not fit, the overlaps grow.
        var overlaps = new double[Math.Max(0, glyphs.Count - 1)];
        var span = shaped.Sum(g => g.Right - g.Left);
        for (var i = 0; i < overlaps.Length; i++)
        {
            overlaps[i] = Between(random, 1, 4);
            span -= overlaps[i];
        }
        const double margin = 4;
        if (span > Width - 2 * margin && overlaps.Length > 0)
        {
            var squeeze = (span - (Width - 2 * margin)) / overlaps.Length;
            for (var i = 0; i < overlaps.Length; i++) overlaps[i] += squeeze;
            span = Width - 2 * margin;
        }

        // Glyphs and curves share one range of ink (and overlapping ranges of thickness), so darkness does not tell them apart.
        var baseTone = Between(random, 0.08, 0.26);
        var left = margin + random.NextDouble() * Math.Max(0, Width - 2 * margin - span);
        for (var i = 0; i < shaped.Length; i++)
        {
            var g = shaped[i];
            var centreX = left - g.Left;
            double highest = margin - g.Top, lowest = Height - margin - g.Bottom;
            var centreY = highest > lowest ? (highest + lowest) / 2 : Math.Clamp(Height / 2.0 + Between(random, -6, 6), highest, lowest);
            var tone = (float)Math.Clamp(baseTone + Between(random, -0.06, 0.06), 0.04, 0.34);
            foreach (var stroke in g.Strokes) DrawPolyline(paper, stroke, centreX, centreY, g.Thickness, tone);
            if (i < overlaps.Length) left += g.Right - g.Left - overlaps[i];
        }

        var curves = random.Next(5) == 0 ? 3 : 2;
        for (var c = 0; c < curves; c++)
        {
            var thickness = Between(random, 2, 3);
            var tone = (float)Math.Clamp(baseTone + Between(random, -0.06, 0.06), 0.04, 0.34);
            DrawPolyline(paper, Distractor(random, across: c == 0), 0, 0, thickness, tone);
        }

        return Png.EncodeGrey(Finish(paper, random));
    }

    /// <summary>The same glyphs upright, evenly spaced, of one thickness, black on white: what a solver's templates are made from.</summary>
    internal static byte[,] RenderClean(string text)
    {
        const double advance = 36;
        var glyphs = GlyphsOf(text);
        var paper = BlankPaper();
        var x = (Width - (glyphs.Count - 1) * advance) / 2;
        foreach (var glyph in glyphs)
        {
            foreach (var stroke in Shape(glyph, 26, 40, 0, 0, 3).Strokes) DrawPolyline(paper, stroke, x, Height / 2.0, 3, 0);
            x += advance;
        }
        var pixels = new byte[Height, Width];
        for (var y = 0; y < Height; y++)
            for (var px = 0; px < Width; px++)
                pixels[y, px] = (byte)Math.Round(paper[y * Width + px] * 255);
        return pixels;
    }

    private static List<(double X, double Y)[][]> GlyphsOf(string text)
    {
        var glyphs = new List<(double X, double Y)[][]>(text.Length);
        foreach (var c in text)
            if (Glyphs.TryGetValue(char.ToUpperInvariant(c), out var glyph)) glyphs.Add(glyph);
        return glyphs;
    }

    /// <summary>Paper is 1 where blank and the ink's tone (0 = black) where fully covered; the background multiplies it later.</summary>
    private static float[] BlankPaper()
    {
        var paper = new float[Width * Height];
        Array.Fill(paper, 1f);
        return paper;
    }

    /// <summary>A glyph's strokes scaled, sheared and rotated about its centre, with the extent of its ink around that centre.</summary>
    private sealed record Shaped((double X, double Y)[][] Strokes, double Thickness, double Left, double Right, double Top, double Bottom);

    private static Shaped Shape((double X, double Y)[][] glyph, double width, double height, double angle, double shear, double thickness)
    {
        double cos = Math.Cos(angle), sin = Math.Sin(angle);
        double left = double.MaxValue, right = double.MinValue, top = double.MaxValue, bottom = double.MinValue;
        var strokes = new (double X, double Y)[glyph.Length][];
        for (var s = 0; s < glyph.Length; s++)
        {
            var points = strokes[s] = new (double X, double Y)[glyph[s].Length];
            for (var i = 0; i < points.Length; i++)
            {
                var lx = (glyph[s][i].X - 0.5) * width;
                var ly = (glyph[s][i].Y - 0.5) * height;
                lx += shear * ly;
                double x = cos * lx - sin * ly, y = sin * lx + cos * ly;
                points[i] = (x, y);
                left = Math.Min(left, x);
                right = Math.Max(right, x);
                top = Math.Min(top, y);
                bottom = Math.Max(bottom, y);
            }
        }
        var half = thickness / 2;
        return new Shaped(strokes, thickness, left - half, right + half, top - half, bottom + half);
    }

    private static void DrawPolyline(float[] paper, (double X, double Y)[] points, double offsetX, double offsetY, double thickness, float tone)
    {
        for (var i = 0; i + 1 < points.Length; i++)
            DrawSegment(paper, (points[i].X + offsetX, points[i].Y + offsetY), (points[i + 1].X + offsetX, points[i + 1].Y + offsetY), thickness, tone);
    }

    /// <summary>An anti-aliased segment with round ends: coverage falls from 1 to 0 over the pixel at the stroke's edge.</summary>
    private static void DrawSegment(float[] paper, (double X, double Y) a, (double X, double Y) b, double thickness, float tone)
    {
        var reach = thickness / 2 + 0.5;
        var x0 = Math.Max(0, (int)Math.Floor(Math.Min(a.X, b.X) - reach));
        var x1 = Math.Min(Width - 1, (int)Math.Ceiling(Math.Max(a.X, b.X) + reach));
        var y0 = Math.Max(0, (int)Math.Floor(Math.Min(a.Y, b.Y) - reach));
        var y1 = Math.Min(Height - 1, (int)Math.Ceiling(Math.Max(a.Y, b.Y) + reach));
        double dx = b.X - a.X, dy = b.Y - a.Y, length2 = dx * dx + dy * dy;
        var inverse = length2 > 0 ? 1 / length2 : 0;
        var reach2 = reach * reach;
        var fade = 1 - tone;
        // Per row, only the stretch within reach of the segment's line is visited, not its whole bounding box
        // (a near-horizontal segment keeps the box: its stretch would be most of it anyway).
        var slanted = Math.Abs(dy) > 0.05;
        var slope = slanted ? dx / dy : 0;
        var halfRow = slanted ? reach * Math.Sqrt(length2) / Math.Abs(dy) : 0;
        for (var y = y0; y <= y1; y++)
        {
            var row = y * Width;
            int from = x0, to = x1;
            if (slanted)
            {
                var centre = a.X + (y - a.Y) * slope;
                from = Math.Max(x0, (int)Math.Floor(centre - halfRow));
                to = Math.Min(x1, (int)Math.Ceiling(centre + halfRow));
            }
            for (var x = from; x <= to; x++)
            {
                var t = ((x - a.X) * dx + (y - a.Y) * dy) * inverse;
                t = t < 0 ? 0 : t > 1 ? 1 : t;
                double ex = a.X + t * dx - x, ey = a.Y + t * dy - y, distance2 = ex * ex + ey * ey;
                if (distance2 >= reach2) continue;
                var coverage = reach - Math.Sqrt(distance2);
                var value = 1 - (float)(coverage > 1 ? 1 : coverage) * fade;
                if (value < paper[row + x]) paper[row + x] = value;
            }
        }
    }

    /// <summary>
    /// A cubic Bézier with a small sine ripple along it: either across the whole row of text, or slantwise from above it to
    /// below it (or back) across a few letters. The ripple is what a person's eye follows to tell it from the letters'
    /// strokes; to a pixel counter it is ink like any other.
    /// </summary>
    private static (double X, double Y)[] Distractor(Random random, bool across)
    {
        (double X, double Y) p0, p1, p2, p3;
        if (across)
        {
            p0 = (Between(random, 0, 25), Height * Between(random, 0.3, 0.7));
            p3 = (Width - Between(random, 0, 25), Height * Between(random, 0.3, 0.7));
            // The middle swings well above and below the text, so the curve crosses letters slantwise instead of lying
            // along their middles, where it would pass for the bar of an A or an H.
            var upFirst = random.Next(2) == 0;
            double above = Between(random, -15, 5), below = Height + Between(random, -5, 15);
            p1 = (Width * Between(random, 0.2, 0.4), upFirst ? above : below);
            p2 = (Width * Between(random, 0.6, 0.8), upFirst ? below : above);
        }
        else
        {
            var down = random.Next(2) == 0;
            double high = Between(random, 0, 12), low = Height - Between(random, 0, 12);
            var fromX = Between(random, 0, Width * 0.5);
            var toX = Math.Min(Width, fromX + Between(random, Width * 0.35, Width * 0.55));
            p0 = (fromX, down ? high : low);
            p3 = (toX, down ? low : high);
            (double X, double Y) Along(double share) =>
                (p0.X + (p3.X - p0.X) * share, p0.Y + (p3.Y - p0.Y) * share + Between(random, -10, 10));
            p1 = Along(Between(random, 0.25, 0.4));
            p2 = Along(Between(random, 0.6, 0.75));
        }

        const int segments = 96;
        var points = new (double X, double Y)[segments + 1];
        double amplitude = Between(random, 2, 3), wavelength = Between(random, 13, 19), phase = random.NextDouble() * 2 * Math.PI;
        var travelled = 0.0;
        (double X, double Y) previous = p0;
        for (var i = 0; i <= segments; i++)
        {
            var t = (double)i / segments;
            double s = 1 - t, a = s * s * s, b = 3 * s * s * t, c = 3 * s * t * t, d = t * t * t;
            (double X, double Y) at = (a * p0.X + b * p1.X + c * p2.X + d * p3.X, a * p0.Y + b * p1.Y + c * p2.Y + d * p3.Y);
            // Tangent of the cubic, for the normal the ripple moves along.
            double tx = 3 * (s * s * (p1.X - p0.X) + 2 * s * t * (p2.X - p1.X) + t * t * (p3.X - p2.X));
            double ty = 3 * (s * s * (p1.Y - p0.Y) + 2 * s * t * (p2.Y - p1.Y) + t * t * (p3.Y - p2.Y));
            var length = Math.Max(1e-9, Math.Sqrt(tx * tx + ty * ty));
            travelled += Math.Sqrt((at.X - previous.X) * (at.X - previous.X) + (at.Y - previous.Y) * (at.Y - previous.Y));
            previous = at;
            var ripple = amplitude * Math.Sin(2 * Math.PI * travelled / wavelength + phase);
            points[i] = (at.X - ty / length * ripple, at.Y + tx / length * ripple);
        }
        return points;
    }

    /// <summary>Warps the inked paper with smooth two-dimensional sine displacement, then lays it on shaded, speckled paper.</summary>
    private static byte[,] Finish(float[] paper, Random random)
    {
        // Displacement: dx varies with y (and a little x), dy with x (and a little y), plus a product term so it is not separable.
        double Phase() => random.NextDouble() * 2 * Math.PI;
        double Frequency(double minWavelength, double maxWavelength) => 2 * Math.PI / Between(random, minWavelength, maxWavelength);
        var shiftXByRow = Wave(Height, Between(random, 1, 2.5), Frequency(35, 70), Phase());
        var shiftXByColumn = Wave(Width, Between(random, 0.5, 1.5), Frequency(40, 90), Phase());
        var shiftYByColumn = Wave(Width, Between(random, 1.5, 3.5), Frequency(70, 140), Phase());
        var shiftYByRow = Wave(Height, Between(random, 0.5, 1.5), Frequency(30, 60), Phase());
        var crossByColumn = Wave(Width, Between(random, 0.5, 1.5), Frequency(40, 80), Phase());
        var crossByRow = Wave(Height, 1, Frequency(50, 90), Phase());

        // Background: a broad tilted gradient plus a slow ripple, all well lighter than ink.
        double tilt = Phase(), gradient = Between(random, 8, 18);
        var rippleByColumn = Wave(Width, Between(random, 5, 12), Frequency(80, 200), Phase());
        var rippleByRow = Wave(Height, 1, Frequency(50, 120), Phase());
        double gx = Math.Cos(tilt) * gradient / Width, gy = Math.Sin(tilt) * gradient / Height;
        var shadeByColumn = new double[Width];
        for (var x = 0; x < Width; x++) shadeByColumn[x] = gx * (x - Width / 2.0);

        // One draw of random bytes for the whole picture: each byte gives a pixel's grain, and the lowest few a speck.
        var grain = new byte[Width * Height];
        random.NextBytes(grain);
        var pixels = new byte[Height, Width];
        for (var y = 0; y < Height; y++)
        {
            double rowX = shiftXByRow[y], rowY = y + shiftYByRow[y], rowCross = crossByRow[y];
            double rowShade = 222 + gy * (y - Height / 2.0), rowRipple = rippleByRow[y];
            for (var x = 0; x < Width; x++)
            {
                var cross = crossByColumn[x] * rowCross;
                var sx = x + rowX + shiftXByColumn[x] + cross;
                var sy = rowY + shiftYByColumn[x] + cross;
                // Bilinear sample of the paper, written out here because this runs for every pixel; outside the paper is blank.
                // The shifts stay well under 16 pixels, so adding 16 before truncating rounds down.
                int x0 = (int)(sx + 16) - 16, y0 = (int)(sy + 16) - 16;
                var ink = 1f;
                if (x0 >= 0 && y0 >= 0 && x0 + 1 < Width && y0 + 1 < Height)
                {
                    var i = y0 * Width + x0;
                    float p00 = paper[i], p01 = paper[i + 1], p10 = paper[i + Width], p11 = paper[i + Width + 1];
                    if (p00 + p01 + p10 + p11 < 4)
                    {
                        float fx = (float)(sx - x0), fy = (float)(sy - y0);
                        var top = p00 + (p01 - p00) * fx;
                        ink = top + (p10 + (p11 - p10) * fx - top) * fy;
                    }
                }
                var background = rowShade + shadeByColumn[x] + rippleByColumn[x] * rowRipple;
                int random8 = grain[y * Width + x], noise = random8 % 19 - 9;
                // Light speckle (8 in 256): a shade darker, never as dark as ink.
                if (random8 < 8) noise -= 25 + random8 * 4;
                var value = background * ink + noise;
                pixels[y, x] = (byte)(value < 0 ? 0 : value > 255 ? 255 : value);
            }
        }
        return pixels;
    }

    private static double[] Wave(int length, double amplitude, double frequency, double phase)
    {
        var wave = new double[length];
        for (var i = 0; i < length; i++) wave[i] = amplitude * Math.Sin(frequency * i + phase);
        return wave;
    }

    private static double Between(Random random, double min, double max) => min + random.NextDouble() * (max - min);

    private static (double X, double Y)[] Line(params double[] xy)
    {
        var points = new (double X, double Y)[xy.Length / 2];
        for (var i = 0; i < points.Length; i++) points[i] = (xy[2 * i], xy[2 * i + 1]);
        return points;
    }

    /// <summary>An elliptic arc from one angle to another in degrees (0 = right, 90 = down), either direction.</summary>
    private static (double X, double Y)[] Arc(double cx, double cy, double rx, double ry, double fromDegrees, double toDegrees)
    {
        var steps = Math.Max(3, (int)Math.Ceiling(Math.Abs(toDegrees - fromDegrees) / 15));
        var points = new (double X, double Y)[steps + 1];
        for (var i = 0; i <= steps; i++)
        {
            var angle = (fromDegrees + (toDegrees - fromDegrees) * i / steps) * Math.PI / 180;
            points[i] = (cx + rx * Math.Cos(angle), cy + ry * Math.Sin(angle));
        }
        return points;
    }

    private static (double X, double Y)[] Join(params (double X, double Y)[][] parts) => parts.SelectMany(p => p).ToArray();
}
