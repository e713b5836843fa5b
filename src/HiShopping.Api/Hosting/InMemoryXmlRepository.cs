using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace HiShopping.Api.Hosting;

/// <summary>Data-protection keys kept in memory for the life of the process (nothing here protects data with them).</summary>
internal sealed class InMemoryXmlRepository : IXmlRepository
{
    private readonly List<XElement> _elements = [];

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        lock (_elements) return _elements.Select(e => new XElement(e)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        lock (_elements) _elements.Add(new XElement(element));
    }
}
