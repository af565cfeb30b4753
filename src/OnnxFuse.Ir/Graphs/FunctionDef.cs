namespace OnnxFuse.Ir.Graphs;

/// <summary>
/// A model-local function (ONNX <c>FunctionProto</c>). The body is a <see cref="Graph"/> whose inputs and outputs
/// are the function's formal parameters (untyped unless the file gives value_info).
/// </summary>
public sealed class FunctionDef
{
    public FunctionDef(string domain, string name, Graph body)
    {
        Domain = domain;
        Name = name;
        Body = body;
    }

    public string Domain { get; set; }

    public string Name { get; set; }

    public string Overload { get; set; } = "";

    public Graph Body { get; }

    /// <summary>Attribute parameters without defaults.</summary>
    public IList<string> AttributeNames { get; } = [];

    /// <summary>Attribute parameters with default values.</summary>
    public IList<Attr> AttributeDefaults { get; } = [];

    public OpsetImports OpsetImports { get; } = new();

    public string? DocString { get; set; }

    public IDictionary<string, string> MetadataProps { get; } = new OrderedDictionary<string, string>();
}
