using System.Text;
using HiShopping.Api.Auth;
using HiShopping.Store;

namespace HiShopping.Tool.Tui.Client;

/// <summary>
/// Turns a greyscale PNG into rows of characters a terminal can show: half blocks (two pixels rows a cell), or plain
/// ASCII (<c>#</c>, for terminals and fonts where blocks do not read well).
/// </summary>
public static class BlockPicture
{
    /// <summary>How many rows <see cref="FromPng"/> draws for a picture <paramref name="columns"/> wide.</summary>
    public static int Rows(int columns) => (int)Math.Ceiling(CaptchaImage.Height / ((double)CaptchaImage.Width / columns) / 2);

    public static IReadOnlyList<string> FromPng(byte[] png, int columns, bool ascii = false)
    {
        var pixels = Png.DecodeGrey(png) ?? throw new HiShopException(ErrorCode.InternalError, "The captcha image could not be read.");
        int height = pixels.GetLength(0), width = pixels.GetLength(1);
        var scale = (double)width / columns;
        var rows = (int)Math.Ceiling(height / scale / 2);
        var lines = new List<string>(rows);
        for (var r = 0; r < rows; r++)
        {
            var line = new StringBuilder(columns);
            for (var c = 0; c < columns; c++)
            {
                var top = Dark(pixels, c * scale, r * 2 * scale, scale);
                var bottom = Dark(pixels, c * scale, (r * 2 + 1) * scale, scale);
                line.Append(ascii
                    ? top || bottom ? '#' : ' '
                    : (top, bottom) switch { (true, true) => '█', (true, false) => '▀', (false, true) => '▄', _ => ' ' });
            }
            lines.Add(line.ToString().TrimEnd());
        }
        return lines;
    }

    private static bool Dark(byte[,] pixels, double x0, double y0, double size)
    {
        int height = pixels.GetLength(0), width = pixels.GetLength(1);
        long sum = 0, count = 0;
        for (var y = (int)y0; y < Math.Min(height, (int)(y0 + size)); y++)
            for (var x = (int)x0; x < Math.Min(width, (int)(x0 + size)); x++)
            {
                sum += pixels[y, x];
                count++;
            }
        return count > 0 && sum / count < 150;
    }
}
