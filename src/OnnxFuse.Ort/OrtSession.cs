using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;
using OnnxFuse.Ort.Handles;

namespace OnnxFuse.Ort;

/// <summary>
/// A model loaded into ONNX Runtime's CPU execution provider, ready to run.
/// </summary>
/// <remarks>
/// Owns one native <c>OrtSession</c> (the optimized graph, its weights and thread pools): dispose it to free them.
/// <see cref="Run"/> may be called from several threads at once, as ORT allows; disposing while a run is in flight
/// is safe (the native session is freed when the last run returns). Inputs are read in place from their pinned
/// <see cref="TensorData.Bytes"/>; outputs are copied into new <see cref="TensorData"/> that own their memory.
/// For the lowest per-run overhead, <see cref="CreateBinding"/> binds caller-owned buffers once and reruns them.
/// </remarks>
public sealed unsafe class OrtSession : IDisposable
{
    const int StackLimit = 16;

    readonly OrtEnvironment _environment;
    readonly SessionHandle _handle;
    readonly OrtValueInfo[] _inputs;
    readonly OrtValueInfo[] _outputs;
    readonly OrtValueInfo[] _overridable;
    readonly Dictionary<string, int> _inputIndex;
    readonly Dictionary<string, int> _outputIndex;
    // Null-terminated UTF-8 names on the pinned object heap, so runs pass them without marshalling.
    readonly nint[] _inputNamePointers;
    readonly nint[] _outputNamePointers;
    // The pinned arrays the pointers above point into; held so the GC keeps them for the session's lifetime.
    readonly byte[][] _nameBuffers;

    OrtSession(OrtEnvironment environment, SessionHandle handle, string modelName)
    {
        _environment = environment;
        _handle = handle;
        ModelName = modelName;
        _inputs = ReadValueInfos(ValueKind.Input);
        _outputs = ReadValueInfos(ValueKind.Output);
        _overridable = ReadValueInfos(ValueKind.OverridableInitializer);
        // Overridable initializers are fed like inputs, so they share the input index after the required inputs.
        var feedable = _inputs.Concat(_overridable).ToArray();
        _inputIndex = IndexByName(feedable);
        _outputIndex = IndexByName(_outputs);
        _nameBuffers = [.. feedable.Concat(_outputs).Select(v => PinnedUtf8(v.Name))];
        _inputNamePointers = [.. _nameBuffers.Take(feedable.Length).Select(AddressOf)];
        _outputNamePointers = [.. _nameBuffers.Skip(feedable.Length).Select(AddressOf)];
    }

    /// <summary>The model's path, or the name given for in-memory bytes; used in error messages.</summary>
    public string ModelName { get; }

    /// <summary>The graph inputs ORT expects, in graph order (initializers that merely have defaults are not listed).</summary>
    public IReadOnlyList<OrtValueInfo> Inputs => _inputs;

    /// <summary>
    /// Graph inputs that have an initializer as default (IR ≥ 4): <see cref="Run"/> accepts them like inputs, and uses
    /// the default when one is not given.
    /// </summary>
    public IReadOnlyList<OrtValueInfo> OverridableInitializers => _overridable;

    /// <summary>The graph outputs, in graph order; <see cref="Run"/> returns them in this order by default.</summary>
    public IReadOnlyList<OrtValueInfo> Outputs => _outputs;

    /// <summary>Loads the model file at <paramref name="modelPath"/>.</summary>
    /// <exception cref="OrtUnavailableException">ONNX Runtime's library cannot be loaded.</exception>
    /// <exception cref="OrtException">ORT rejects the file (missing, not a model, unsupported operator…).</exception>
    public static OrtSession Create(string modelPath, OrtSessionOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        var environment = OrtRuntime.Shared;
        var native = environment.Native;
        // ORTCHAR_T is char (UTF-8) on Unix and wchar_t (UTF-16) on Windows.
        var pathBytes = OperatingSystem.IsWindows()
            ? MemoryMarshal.AsBytes((modelPath + "\0").AsSpan()).ToArray()
            : Encoding.UTF8.GetBytes(modelPath + "\0");
        using var sessionOptions = CreateNativeOptions(native, options ?? OrtSessionOptions.Default, modelPath);
        var handle = new SessionHandle(native);
        try
        {
            nint session;
            fixed (byte* path = pathBytes)
                native.Check(native.CreateSession(environment.Env.Pointer, path, sessionOptions.Pointer, &session), "to load the model", modelPath);
            handle.Own(session);
            return new OrtSession(environment, handle, modelPath);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Loads a serialized ONNX model from memory; the bytes are not needed after this returns.</summary>
    /// <param name="model">The <c>ModelProto</c> bytes.</param>
    /// <param name="options">Session settings; null for <see cref="OrtSessionOptions.Default"/>.</param>
    /// <param name="modelName">A name for error messages; defaults to a description of the bytes.</param>
    /// <exception cref="OrtUnavailableException">ONNX Runtime's library cannot be loaded.</exception>
    /// <exception cref="OrtException">ORT rejects the bytes.</exception>
    public static OrtSession Create(ReadOnlySpan<byte> model, OrtSessionOptions? options = null, string? modelName = null)
    {
        var environment = OrtRuntime.Shared;
        var native = environment.Native;
        modelName ??= $"<{model.Length}-byte model in memory>";
        using var sessionOptions = CreateNativeOptions(native, options ?? OrtSessionOptions.Default, modelName);
        var handle = new SessionHandle(native);
        try
        {
            nint session;
            fixed (byte* data = model)
            {
                native.Check(native.CreateSessionFromArray(environment.Env.Pointer, data, (nuint)model.Length, sessionOptions.Pointer, &session),
                    "to load the model", modelName);
            }
            handle.Own(session);
            return new OrtSession(environment, handle, modelName);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    static SessionOptionsHandle CreateNativeOptions(NativeMethods native, OrtSessionOptions options, string modelName)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.IntraOpThreads, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.InterOpThreads, nameof(options));
        if (!Enum.IsDefined(options.GraphOptimizationLevel))
            throw new ArgumentOutOfRangeException(nameof(options), options.GraphOptimizationLevel, "unknown graph optimization level");
        var handle = new SessionOptionsHandle(native);
        try
        {
            nint pointer;
            const string context = "to create session options";
            native.Check(native.CreateSessionOptions(&pointer), context, modelName);
            handle.Own(pointer);
            native.Check(native.SetSessionGraphOptimizationLevel(pointer, (int)options.GraphOptimizationLevel), context, modelName);
            // 0 keeps ORT's default, so only explicit counts are passed on.
            if (options.IntraOpThreads > 0)
                native.Check(native.SetIntraOpNumThreads(pointer, options.IntraOpThreads), context, modelName);
            if (options.InterOpThreads > 0)
                native.Check(native.SetInterOpNumThreads(pointer, options.InterOpThreads), context, modelName);
            if (options.ProfileFilePrefix is { } prefix)
            {
                fixed (byte* path = PinnedUtf8(prefix))
                    native.Check(native.EnableProfiling(pointer, path), context, modelName);
            }
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs the model on <paramref name="inputs"/> (graph input name → tensor) and returns the requested outputs,
    /// in the order of <paramref name="outputNames"/> (all of <see cref="Outputs"/> when null).
    /// </summary>
    /// <remarks>Input bytes are pinned and read in place for the duration of the call.</remarks>
    /// <exception cref="OrtException">An unknown input or output name, or ORT rejects an input (type, shape) or fails.</exception>
    public IReadOnlyList<TensorData> Run(IReadOnlyDictionary<string, TensorData> inputs, IReadOnlyList<string>? outputNames = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var native = _environment.Native;
        var inputCount = inputs.Count;
        var outputCount = outputNames?.Count ?? _outputs.Length;
        Span<nint> inputNames = inputCount <= StackLimit ? stackalloc nint[inputCount] : new nint[inputCount];
        Span<nint> inputValues = inputCount <= StackLimit ? stackalloc nint[inputCount] : new nint[inputCount];
        Span<nint> outputNamesNative = outputCount <= StackLimit ? stackalloc nint[outputCount] : new nint[outputCount];
        Span<nint> outputValues = outputCount <= StackLimit ? stackalloc nint[outputCount] : new nint[outputCount];
        var outputIndices = new int[outputCount];
        var pins = new MemoryHandle[inputCount];
        var addedRef = false;
        try
        {
            _handle.DangerousAddRef(ref addedRef);
            var i = 0;
            foreach (var (name, tensor) in inputs)
            {
                if (!_inputIndex.TryGetValue(name, out var index))
                    OrtThrow.Ort($"the model has no input '{name}' (inputs: {string.Join(", ", _inputs.Select(v => v.ToString()))})", ModelName);
                inputNames[i] = _inputNamePointers[index];
                inputValues[i] = OrtTensors.CreateInput(_environment, tensor, ref pins[i], name, ModelName);
                i++;
            }
            for (var o = 0; o < outputCount; o++)
            {
                var index = o;
                if (outputNames is not null && !_outputIndex.TryGetValue(outputNames[o], out index))
                    OrtThrow.Ort($"the model has no output '{outputNames[o]}' (outputs: {string.Join(", ", _outputs.Select(v => v.Name))})", ModelName);
                outputIndices[o] = index;
                outputNamesNative[o] = _outputNamePointers[index];
            }

            fixed (nint* inputNamesPointer = inputNames)
            fixed (nint* inputValuesPointer = inputValues)
            fixed (nint* outputNamesPointer = outputNamesNative)
            fixed (nint* outputValuesPointer = outputValues)
            {
                native.Check(native.Run(_handle.Pointer, 0, inputNamesPointer, inputValuesPointer, (nuint)inputCount,
                    outputNamesPointer, (nuint)outputCount, outputValuesPointer), "to run", ModelName);
            }

            var results = new TensorData[outputCount];
            for (var o = 0; o < outputCount; o++)
                results[o] = OrtTensors.Read(_environment, outputValues[o], _outputs[outputIndices[o]].Name, ModelName);
            return results;
        }
        finally
        {
            foreach (var value in inputValues)
                if (value != 0)
                    native.ReleaseValue(value);
            foreach (var value in outputValues)
                if (value != 0)
                    native.ReleaseValue(value);
            foreach (var pin in pins)
                pin.Dispose();
            if (addedRef)
                _handle.DangerousRelease();
        }
    }

    /// <summary>Starts a set of buffers bound to this session's inputs and outputs, for repeated low-overhead runs.</summary>
    public OrtBinding CreateBinding() => new(this);

    internal OrtEnvironment Environment => _environment;

    internal SessionHandle Handle => _handle;

    internal bool TryGetInput(string name, out int index, out nint namePointer)
    {
        var found = _inputIndex.TryGetValue(name, out index);
        namePointer = found ? _inputNamePointers[index] : 0;
        return found;
    }

    internal bool TryGetOutput(string name, out int index, out nint namePointer)
    {
        var found = _outputIndex.TryGetValue(name, out index);
        namePointer = found ? _outputNamePointers[index] : 0;
        return found;
    }

    /// <summary>Frees the native session once no run is using it; later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose() => _handle.Dispose();

    public override string ToString() =>
        $"{ModelName}: ({string.Join(", ", _inputs.Select(v => v.ToString()))}) → ({string.Join(", ", _outputs.Select(v => v.ToString()))})";

    enum ValueKind { Input, Output, OverridableInitializer }

    OrtValueInfo[] ReadValueInfos(ValueKind valueKind)
    {
        var native = _environment.Native;
        var session = _handle.Pointer;
        var kind = valueKind switch { ValueKind.Input => "input", ValueKind.Output => "output", _ => "overridable initializer" };
        var countFunction = valueKind switch
        {
            ValueKind.Input => native.SessionGetInputCount,
            ValueKind.Output => native.SessionGetOutputCount,
            _ => native.SessionGetOverridableInitializerCount,
        };
        var nameFunction = valueKind switch
        {
            ValueKind.Input => native.SessionGetInputName,
            ValueKind.Output => native.SessionGetOutputName,
            _ => native.SessionGetOverridableInitializerName,
        };
        var typeFunction = valueKind switch
        {
            ValueKind.Input => native.SessionGetInputTypeInfo,
            ValueKind.Output => native.SessionGetOutputTypeInfo,
            _ => native.SessionGetOverridableInitializerTypeInfo,
        };
        var context = $"to describe the model's {kind}s";

        nuint count;
        native.Check(countFunction(session, &count), context, ModelName);
        var infos = new OrtValueInfo[(int)count];
        for (nuint i = 0; i < count; i++)
        {
            byte* namePointer;
            native.Check(nameFunction(session, i, _environment.DefaultAllocator, &namePointer), context, ModelName);
            var name = Marshal.PtrToStringUTF8((nint)namePointer) ?? "";
            native.Check(native.AllocatorFree(_environment.DefaultAllocator, namePointer), context, ModelName);

            using var typeInfo = new TypeInfoHandle(native);
            nint typeInfoPointer;
            native.Check(typeFunction(session, i, &typeInfoPointer), context, ModelName);
            typeInfo.Own(typeInfoPointer);
            infos[(int)i] = ReadValueInfo(native, name, typeInfoPointer, context);
        }
        return infos;
    }

    OrtValueInfo ReadValueInfo(NativeMethods native, string name, nint typeInfo, string context)
    {
        int onnxType;
        native.Check(native.GetOnnxTypeFromTypeInfo(typeInfo, &onnxType), context, ModelName);
        if (onnxType != NativeMethods.OnnxTypeTensor)
            return new OrtValueInfo(name, ElementType.Undefined, Shape.Scalar);

        // Owned by typeInfo: not released here.
        nint tensorInfo;
        native.Check(native.CastTypeInfoToTensorInfo(typeInfo, &tensorInfo), context, ModelName);
        int elementType;
        native.Check(native.GetTensorElementType(tensorInfo, &elementType), context, ModelName);
        var sizes = OrtTensors.ReadDims(native, tensorInfo, context, ModelName);
        var symbols = new nint[sizes.Length];
        fixed (nint* symbolsPointer = symbols)
            native.Check(native.GetSymbolicDimensions(tensorInfo, (byte**)symbolsPointer, (nuint)symbols.Length), context, ModelName);

        var dims = new Dim[sizes.Length];
        for (var d = 0; d < dims.Length; d++)
        {
            var symbol = symbols[d] == 0 ? null : Marshal.PtrToStringUTF8(symbols[d]);
            dims[d] = sizes[d] >= 0 ? Dim.Of(sizes[d]) : string.IsNullOrEmpty(symbol) ? Dim.Unknown : Dim.Symbol(symbol);
        }
        return new OrtValueInfo(name, (ElementType)elementType, new Shape(dims));
    }

    static Dictionary<string, int> IndexByName(OrtValueInfo[] infos)
    {
        var index = new Dictionary<string, int>(infos.Length, StringComparer.Ordinal);
        for (var i = 0; i < infos.Length; i++)
            index[infos[i].Name] = i;
        return index;
    }

    static byte[] PinnedUtf8(string name)
    {
        var utf8 = GC.AllocateArray<byte>(Encoding.UTF8.GetByteCount(name) + 1, pinned: true);
        Encoding.UTF8.GetBytes(name, utf8);
        return utf8;
    }

    static nint AddressOf(byte[] pinned) => (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));
}
