using System.Globalization;
using HiShopping.Bench;

// bench load: a small HTTP/1.1 load generator for the benchmarks (one request in flight per connection,
// keep-alive, latency of every request kept). Unlike wrk it stops sending at the deadline and still reads every
// answer in flight, so "answers with code 0" can be compared exactly with what the store holds afterwards.
//
//   load URL[,URL…] --connections N --seconds S [--get PATH[,PATH…] | --get-file FILE] [--orders APP_ID API_KEY SIGN_KEY SKU] [--label L]
//   (GET paths are taken in turn across all connections: a file of distinct paths gives distinct requests)
//
// Several URLs (several serve on one database) share the connections in turn.
// Prints one Markdown table row: label | connections | rps | p50 ms | p99 ms | non-2xx | code≠0 | answers.
// With BENCH_CPU=1 it also prints, on stderr, its own CPU time per request while the row ran.
var args2 = new Queue<string>(args);
if (args2.Count > 0 && args2.Peek() == "writer")
{
    args2.Dequeue();
    return await WriterRun.RunAsync(args2.Dequeue(), args2.Dequeue(), int.Parse(args2.Dequeue(), CultureInfo.InvariantCulture),
        double.Parse(args2.Dequeue(), CultureInfo.InvariantCulture));
}
if (args2.Count > 0 && args2.Peek() == "topups")
{
    args2.Dequeue();
    return await WriterRun.TopUpsAsync(args2.Dequeue(), args2.Dequeue(), int.Parse(args2.Dequeue(), CultureInfo.InvariantCulture));
}
if (args2.Count > 0 && args2.Peek() == "lists")
{
    args2.Dequeue();
    return ListsRun.Run(args2.Dequeue(), int.Parse(args2.Dequeue(), CultureInfo.InvariantCulture));
}
if (args2.Count == 0 || args2.Peek() != "load")
{
    Console.Error.WriteLine("usage: HiShopping.Bench load URL --connections N --seconds S (--get PATH[,PATH…] | --orders APP_ID API_KEY SIGN_KEY SKU) [--label L]");
    return 2;
}
args2.Dequeue();
var options = new LoadOptions { Urls = args2.Dequeue().Split(',').Select(u => new Uri(u)).ToArray() };
while (args2.Count > 0)
{
    switch (args2.Dequeue())
    {
        case "--connections": options.Connections = int.Parse(args2.Dequeue(), CultureInfo.InvariantCulture); break;
        case "--seconds": options.Seconds = double.Parse(args2.Dequeue(), CultureInfo.InvariantCulture); break;
        case "--get": options.GetPaths = args2.Dequeue().Split(','); break;
        case "--get-file": options.GetPaths = File.ReadAllLines(args2.Dequeue()).Where(l => l.Length > 0).ToArray(); break;
        case "--orders": options.Orders = new OrderSigner(args2.Dequeue(), args2.Dequeue(), args2.Dequeue(), args2.Dequeue()); break;
        case "--label": options.Label = args2.Dequeue(); break;
        case "--header": options.Headers.Add(args2.Dequeue()); break;
        case var other: Console.Error.WriteLine($"unknown option {other}"); return 2;
    }
}
var result = await LoadRun.RunAsync(options);
Console.WriteLine(result.Row());
if (Environment.GetEnvironmentVariable("BENCH_CPU") == "1" && result.LatenciesTicks.Length > 0)
    Console.Error.WriteLine($"generator cpu: {result.Cpu.TotalMicroseconds / result.LatenciesTicks.Length:F1} us/request");
if (result.Errors.Count > 0) Console.Error.WriteLine($"first error: {result.Errors[0]}");
return 0;
