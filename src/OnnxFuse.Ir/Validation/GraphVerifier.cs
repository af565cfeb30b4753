using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Validation;

/// <summary>
/// Checks a model against ONNX's structural rules and the IR's own invariants, separately from any rewrite
/// (tinygrad's spec idea): tests run it after every pass. Every problem is one line naming the graph (as a
/// path: <c>main/then_branch</c>), the node and the value at fault.
/// <list type="bullet">
/// <item>scoping: every value read is declared in the reader's scope or an enclosing one, and defined there
/// (graph input, initializer or node output); subgraph declarations do not shadow outer names; no empty names;</item>
/// <item>IR consistency: values and nodes belong to the graph that lists them, producers and use lists agree;</item>
/// <item>order: no cycles; nodes in topological order (<see cref="GraphVerifierOptions.RequireTopologicalOrder"/>);</item>
/// <item>opsets: every node's domain is imported (by the model, or by the function whose body holds it);</item>
/// <item>types, where known: initializers agree with their declared type; Add/Sub/Mul/Div inputs and output share one element type;</item>
/// <item>control flow: If has then/else branches with as many outputs as the node; Loop's body has 2 + N inputs and 1 + N + K outputs.</item>
/// </list>
/// Node names are optional in ONNX, so empty or repeated node names are not reported.
/// </summary>
public static class GraphVerifier
{
    static readonly HashSet<string> s_sameTypeElementwise = new(StringComparer.Ordinal) { "Add", "Sub", "Mul", "Div" };

    /// <summary>Throws <see cref="GraphValidationException"/> listing every problem in <see cref="GraphValidationException.Problems"/>.</summary>
    public static void Check(Model model, GraphVerifierOptions? options = null)
    {
        var problems = Validate(model, options);
        if (problems.Count > 0)
            Throw.InvalidGraph(problems);
    }

    /// <summary>Every problem found in the main graph, its subgraphs and the model's function bodies; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(Model model, GraphVerifierOptions? options = null)
    {
        options ??= new GraphVerifierOptions();
        var problems = new List<string>();
        if (model.Graph.Owner is not null)
            problems.Add($"graph '{model.Graph.Name}': the main graph is held by node {model.Graph.Owner.Describe()}");
        new Walk(model.OpsetImports, options, problems).Graph(model.Graph, model.Graph.Name);
        foreach (var function in model.Functions)
            new Walk(function.OpsetImports, options, problems).Graph(function.Body, $"function {function.Domain}.{function.Name}");
        return problems;
    }

    /// <summary>One walk over a graph tree with the opset imports that govern it.</summary>
    sealed class Walk(OpsetImports opsets, GraphVerifierOptions options, List<string> problems)
    {
        public void Graph(Graph graph, string path)
        {
            var where = $"graph '{path}'";
            if (string.IsNullOrEmpty(graph.Name))
                problems.Add($"{where}: the graph has an empty name");
            Declarations(graph, where);
            Interface(graph, where);
            foreach (var node in graph.Nodes)
                Node(graph, node, where);
            Order(graph, where);
            foreach (var node in graph.Nodes)
                foreach (var attr in node.Attributes)
                    foreach (var subgraph in attr.Subgraphs)
                    {
                        if (!ReferenceEquals(subgraph.Owner, node))
                            problems.Add($"{where}, node {node.Describe()}: subgraph '{subgraph.Name}' in attribute '{attr.Name}' names another owner");
                        Graph(subgraph, $"{path}/{subgraph.Name}");
                    }
        }

        void Declarations(Graph graph, string where)
        {
            foreach (var value in graph.DeclaredValues)
            {
                if (string.IsNullOrEmpty(value.Name))
                    problems.Add($"{where}: a value has an empty name");
                if (!ReferenceEquals(value.Graph, graph))
                    problems.Add($"{where}: value '{value.Name}' is listed here but belongs to graph '{value.Graph.Name}'");
                if (graph.Parent?.FindValue(value.Name) is { } outer)
                    problems.Add($"{where}: value '{value.Name}' shadows the value of that name in enclosing graph '{outer.Graph.Name}'");
                if (value.Initializer is { } data && value.Type is { } declared)
                    InitializerType(value, data, declared, where);
            }
        }

        void InitializerType(Value value, TensorData data, OnnxType declared, string where)
        {
            if (declared is not TensorType tensor)
            {
                problems.Add($"{where}: initializer '{value.Name}' holds a tensor but is declared as {declared}");
                return;
            }
            if (tensor.ElementType != data.ElementType)
                problems.Add($"{where}: initializer '{value.Name}' holds {data.ElementType.DisplayName()} data but is declared {tensor.ElementType.DisplayName()}");
            if (tensor.Shape is { } shape && !ShapeFits(shape, data.Dims))
                problems.Add($"{where}: initializer '{value.Name}' holds data of shape [{string.Join(',', data.Dims)}] but is declared {shape}");
        }

        static bool ShapeFits(Shape shape, IReadOnlyList<long> dims) =>
            shape.Rank == dims.Count && shape.Select((d, i) => d.Value is not { } size || size == dims[i]).All(ok => ok);

        void Interface(Graph graph, string where)
        {
            foreach (var input in graph.Inputs)
                if (!ReferenceEquals(input.Graph, graph) || !ReferenceEquals(graph.FindDeclared(input.Name), input))
                    problems.Add($"{where}: graph input '{input.Name}' is not declared in this graph");
            foreach (var duplicate in graph.Inputs.GroupBy(v => v).Where(g => g.Count() > 1))
                problems.Add($"{where}: graph input '{duplicate.Key.Name}' is listed {duplicate.Count()} times");
            foreach (var output in graph.Outputs)
            {
                if (!IsVisible(graph, output))
                    problems.Add($"{where}: graph output '{output.Name}' is not declared in this graph or an enclosing one");
                else if (!IsDefined(output))
                    problems.Add($"{where}: graph output '{output.Name}' has no producer (not a node output, initializer or graph input)");
            }
        }

        void Node(Graph graph, Node node, string where)
        {
            var at = $"{where}, node {node.Describe()}";
            if (!ReferenceEquals(node.Graph, graph))
                problems.Add($"{at}: the node is listed here but belongs to graph '{node.Graph.Name}'");
            if (!opsets.Contains(node.Domain))
                problems.Add($"{at}: domain '{node.Domain}' has no opset import");
            for (var i = 0; i < node.Inputs.Count; i++)
            {
                if (node.Inputs[i] is not { } input)
                    continue;
                if (string.IsNullOrEmpty(input.Name))
                    problems.Add($"{at}: input {i} has an empty name");
                else if (!IsVisible(graph, input))
                    problems.Add($"{at}: input {i} '{input.Name}' is not declared in this graph or an enclosing one");
                else if (!IsDefined(input))
                    problems.Add($"{at}: input {i} '{input.Name}' is never defined (not a node output, initializer or graph input)");
                if (!input.Uses.Contains(new Use(node, i)))
                    problems.Add($"{at}: input {i} '{input.Name}' does not list this node among its uses");
            }
            for (var i = 0; i < node.Outputs.Count; i++)
            {
                if (node.Outputs[i] is not { } output)
                    continue;
                if (!ReferenceEquals(output.Producer, node) || output.ProducerOutputIndex != i)
                    problems.Add($"{at}: output {i} '{output.Name}' names another producer");
                if (!ReferenceEquals(graph.FindDeclared(output.Name), output))
                    problems.Add($"{at}: output {i} '{output.Name}' is not declared in this graph");
            }
            ElementTypes(node, at);
            ControlFlow(node, at);
        }

        void ElementTypes(Node node, string at)
        {
            if (!node.IsDefaultDomain || !s_sameTypeElementwise.Contains(node.OpType))
                return;
            var typed = node.Inputs.Concat(node.Outputs).OfType<Value>().Where(v => v.ElementType is not null).ToList();
            if (typed.Count < 2)
                return;
            var first = typed[0];
            foreach (var other in typed.Skip(1).Where(v => v.ElementType != first.ElementType))
                problems.Add($"{at}: '{other.Name}' is {other.ElementType!.Value.DisplayName()} but '{first.Name}' is {first.ElementType!.Value.DisplayName()}; {node.OpType} needs one element type");
        }

        void ControlFlow(Node node, string at)
        {
            if (!node.IsDefaultDomain)
                return;
            switch (node.OpType)
            {
                case "If":
                    var thenBranch = Branch(node, "then_branch", at);
                    var elseBranch = Branch(node, "else_branch", at);
                    if (thenBranch is not null && elseBranch is not null && thenBranch.Outputs.Count != elseBranch.Outputs.Count)
                        problems.Add($"{at}: then_branch has {thenBranch.Outputs.Count} outputs but else_branch has {elseBranch.Outputs.Count}");
                    foreach (var branch in new[] { thenBranch, elseBranch }.OfType<Graph>())
                        if (branch.Outputs.Count != node.Outputs.Count)
                            problems.Add($"{at}: branch '{branch.Name}' has {branch.Outputs.Count} outputs but the node has {node.Outputs.Count}");
                    break;
                case "Loop":
                    if (Branch(node, "body", at) is not { } body)
                        break;
                    var carried = Math.Max(0, node.Inputs.Count - 2);
                    if (body.Inputs.Count != 2 + carried)
                        problems.Add($"{at}: body '{body.Name}' has {body.Inputs.Count} inputs but needs 2 + {carried} (iteration, condition, loop-carried values)");
                    if (body.Outputs.Count != 1 + node.Outputs.Count)
                        problems.Add($"{at}: body '{body.Name}' has {body.Outputs.Count} outputs but needs 1 + {node.Outputs.Count} (condition, then one per node output)");
                    break;
                case "Scan":
                    Branch(node, "body", at);
                    break;
            }
        }

        Graph? Branch(Node node, string name, string at)
        {
            if (node.FindAttr(name) is { Kind: AttrKind.Graph, Payload: Graph graph })
                return graph;
            problems.Add($"{at}: attribute '{name}' is missing or not a graph");
            return null;
        }

        void Order(Graph graph, string where)
        {
            if (Toposort.FindCycle(graph) is { } cycle)
            {
                problems.Add($"{where}: node {cycle[0].Describe()} is on a cycle: {Toposort.DescribeCycle(cycle)}");
                return;
            }
            if (!options.RequireTopologicalOrder)
                return;
            var position = new Dictionary<Node, int>();
            for (var i = 0; i < graph.Nodes.Count; i++)
                position[graph.Nodes[i]] = i;
            foreach (var node in graph.Nodes)
                foreach (var producer in Toposort.Predecessors(node).Where(p => position[p] > position[node]))
                    problems.Add($"{where}, node {node.Describe()}: reads {ProducedBy(producer, node)} before its producer {producer.Describe()} runs (nodes are not in topological order; Toposort.Sort fixes this)");
        }

        static string ProducedBy(Node producer, Node reader)
        {
            var read = producer.Outputs.OfType<Value>().FirstOrDefault(v => v.Uses.Any(u => IsInside(u.Node, reader)));
            return read is null ? "a value" : $"'{read.Name}'";
        }

        static bool IsInside(Node node, Node holder)
        {
            for (Node? current = node; current is not null; current = current.Graph.Owner)
                if (ReferenceEquals(current, holder))
                    return true;
            return false;
        }

        static bool IsVisible(Graph graph, Value value) => ReferenceEquals(graph.FindValue(value.Name), value);

        static bool IsDefined(Value value) =>
            (value.Producer is { } producer && producer.Graph.Nodes.Contains(producer)) || value.IsInitializer || value.IsGraphInput;
    }
}
