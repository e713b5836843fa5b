using System.Text.Json;

namespace HiShopping.Store.Catalog;

/// <summary>
/// Splits a catalog file into records without ever holding more than one record (at most
/// <see cref="MaxRecordBytes"/>) and a 64 KiB read buffer: JSON Lines by line, a JSON array by a small lexer that
/// follows strings and brackets to find where each element ends. A larger record is skipped byte by byte and
/// rejected with its position; the records after it still land.
/// </summary>
internal static class CatalogRecordReader
{
    /// <summary>The largest record taken: 1 MiB (a goods record with 100 SKUs is a few KiB).</summary>
    public const int MaxRecordBytes = 1024 * 1024;

    private const int BufferBytes = 64 * 1024;

    /// <summary>
    /// Records one by one: (position, element, null), or (position, default, reason) for one that cannot be used,
    /// or (null, default, reason) when the rest of the file cannot be read.
    /// </summary>
    public static IEnumerable<(RecordPosition? Position, JsonElement Element, string? Error)> Read(Stream input)
    {
        var bytes = new ByteSource(input);
        int first;
        while ((first = bytes.Peek()) is ' ' or '\t' or '\r' or '\n' or 0xEF or 0xBB or 0xBF) bytes.Next();
        if (first < 0) return [];
        return first == '[' ? ReadArray(bytes) : ReadLines(bytes);
    }

    private static IEnumerable<(RecordPosition?, JsonElement, string?)> ReadLines(ByteSource bytes)
    {
        var record = new RecordBuffer();
        long line = 0;
        while (true)
        {
            var b = bytes.Next();
            if (b >= 0 && b != '\n')
            {
                record.Add((byte)b);
                continue;
            }
            if (b < 0 && record.Length == 0 && !record.Oversized) yield break;
            line++;
            if (!record.IsBlank) yield return Parse(new RecordPosition(true, line), record);
            record.Clear();
            if (b < 0) yield break;
        }
    }

    private static IEnumerable<(RecordPosition?, JsonElement, string?)> ReadArray(ByteSource bytes)
    {
        bytes.Next(); // '['
        var record = new RecordBuffer();
        long index = 0;
        var expectElement = true; // after '[' or ','
        while (true)
        {
            var b = SkipWhitespace(bytes);
            if (b < 0)
            {
                yield return (null, default, $"record {index + 1} and after: the array ends too early; import stopped there");
                yield break;
            }
            if (b == ']' && (index == 0 || !expectElement))
            {
                bytes.Next();
                if (SkipWhitespace(bytes) >= 0)
                    yield return (null, default, "there is more after the array's closing ']'; import stopped there");
                yield break;
            }
            if (!expectElement)
            {
                if (b != ',')
                {
                    yield return (null, default, $"record {index + 1} and after: expected ',' or ']' between records (got '{(char)b}'); import stopped there");
                    yield break;
                }
                bytes.Next();
                expectElement = true;
                continue;
            }

            index++;
            record.Clear();
            if (!ScanElement(bytes, record))
            {
                yield return (null, default, $"record {index} and after: the array ends too early; import stopped there");
                yield break;
            }
            expectElement = false;
            yield return Parse(new RecordPosition(false, index), record);
        }
    }

    /// <summary>Copies one JSON value into <paramref name="record"/> (up to the cap); false when the file ends inside it.</summary>
    private static bool ScanElement(ByteSource bytes, RecordBuffer record)
    {
        var depth = 0;
        var inString = false;
        var escaped = false;
        while (true)
        {
            var b = bytes.Peek();
            if (b < 0) return depth == 0 && !inString && record.Length > 0 && !record.StartsNested;
            if (inString)
            {
                bytes.Next();
                record.Add((byte)b);
                if (escaped) escaped = false;
                else if (b == '\\') escaped = true;
                else if (b == '"')
                {
                    inString = false;
                    if (depth == 0) return true;
                }
                continue;
            }
            if (depth == 0 && record.Length > 0 && (b is ',' or ']' or ' ' or '\t' or '\r' or '\n'))
                return true; // the end of a number or literal
            bytes.Next();
            record.Add((byte)b);
            switch (b)
            {
                case '"': inString = true; break;
                case '{' or '[': depth++; break;
                case '}' or ']':
                    depth--;
                    if (depth <= 0) return true;
                    break;
            }
        }
    }

    private static int SkipWhitespace(ByteSource bytes)
    {
        int b;
        while ((b = bytes.Peek()) is ' ' or '\t' or '\r' or '\n') bytes.Next();
        return b;
    }

    private static (RecordPosition?, JsonElement, string?) Parse(RecordPosition position, RecordBuffer record)
    {
        if (record.Oversized)
            return (position, default, $"the record is larger than {MaxRecordBytes / 1024 / 1024} MiB ({record.Seen:N0} bytes); it was skipped");
        try
        {
            using var document = JsonDocument.Parse(record.Memory, new JsonDocumentOptions { MaxDepth = 64 });
            var element = document.RootElement;
            if (element.ValueKind == JsonValueKind.Null) return (position, default, "a record must be a JSON object (got null)");
            return (position, element.Clone(), null);
        }
        catch (JsonException e)
        {
            return (position, default, $"not valid JSON: {e.Message}");
        }
    }

    /// <summary>One record's bytes, kept only up to the cap; past it only counted.</summary>
    private sealed class RecordBuffer
    {
        private byte[] _bytes = new byte[4096];

        public int Length { get; private set; }
        public long Seen { get; private set; }
        public bool Oversized => Seen > MaxRecordBytes;
        public bool StartsNested => Length > 0 && _bytes[0] is (byte)'{' or (byte)'[';
        public ReadOnlyMemory<byte> Memory => _bytes.AsMemory(0, Length);

        public bool IsBlank => !Oversized && _bytes.AsSpan(0, Length).IndexOfAnyExcept(" \t\r"u8) < 0;

        public void Add(byte b)
        {
            Seen++;
            if (Seen > MaxRecordBytes) return;
            if (Length == _bytes.Length) Array.Resize(ref _bytes, Math.Min(_bytes.Length * 2, MaxRecordBytes));
            _bytes[Length++] = b;
        }

        public void Clear()
        {
            Length = 0;
            Seen = 0;
            if (_bytes.Length > 64 * 1024) _bytes = new byte[4096];
        }
    }

    /// <summary>Bytes of a stream through a fixed buffer, with one byte of look-ahead.</summary>
    private sealed class ByteSource(Stream input)
    {
        private readonly byte[] _buffer = new byte[BufferBytes];
        private int _position;
        private int _length;

        public int Peek()
        {
            if (_position < _length) return _buffer[_position];
            _length = input.Read(_buffer, 0, _buffer.Length);
            _position = 0;
            return _length > 0 ? _buffer[0] : -1;
        }

        public int Next()
        {
            var b = Peek();
            if (b >= 0) _position++;
            return b;
        }
    }
}
