using System.Buffers;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Ort;

/// <summary>
/// Caller-owned buffers bound once to a session's inputs and outputs, so each <see cref="Run"/> is one native call
/// with no allocation, marshalling or copying: ORT reads the input buffers in place and writes outputs straight into
/// the output buffers. Change inputs by writing into their buffers between runs.
/// </summary>
/// <remarks>
/// Every bound buffer stays pinned, and owns one native <c>OrtValue</c>, until it is rebound or the binding is
/// disposed; dispose the binding before the session. Output shapes must be the exact shapes the model produces.
/// Not thread-safe: use one binding per thread (one session may serve several bindings at once).
/// </remarks>
public sealed unsafe class OrtBinding : IDisposable
{
    readonly OrtSession _session;
    readonly List<Slot> _inputs = [];
    readonly List<Slot> _outputs = [];
    // Pinned argument arrays for OrtApi::Run, rebuilt when a binding changes.
    nint[] _inputNames = [];
    nint[] _inputValues = [];
    nint[] _outputNames = [];
    nint[] _outputValues = [];
    bool _dirty = true;
    bool _disposed;

    internal OrtBinding(OrtSession session) => _session = session;

    /// <summary>Binds <paramref name="buffer"/> (packed little-endian elements) to input <paramref name="name"/>.</summary>
    /// <param name="name">A graph input.</param>
    /// <param name="elementType">The buffer's element type; must be the input's (ORT checks at <see cref="Run"/>).</param>
    /// <param name="dims">The tensor's dimensions.</param>
    /// <param name="buffer">The contents; pinned until rebound or disposed.</param>
    public void BindInput(string name, ElementType elementType, ReadOnlySpan<long> dims, ReadOnlyMemory<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_session.TryGetInput(name, out _, out var namePointer))
            OrtThrow.Ort($"the model has no input '{name}' (inputs: {string.Join(", ", _session.Inputs.Select(v => v.Name))})", _session.ModelName);
        Bind(_inputs, name, namePointer, elementType, dims, buffer.Pin(), buffer.Length);
    }

    /// <summary>Binds a numeric tensor's bytes to input <paramref name="name"/>; the tensor is read in place.</summary>
    public void BindInput(string name, TensorData tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.ElementType == ElementType.String)
            throw new ArgumentException("string tensors cannot be bound; pass them to OrtSession.Run", nameof(tensor));
        BindInput(name, tensor.ElementType, [.. tensor.Dims], tensor.Bytes);
    }

    /// <summary>Binds <paramref name="buffer"/> to receive output <paramref name="name"/> of shape <paramref name="dims"/>.</summary>
    /// <param name="name">A graph output.</param>
    /// <param name="dims">The output's exact dimensions.</param>
    /// <param name="buffer">Where ORT writes the packed elements; its length must be the output's byte size.</param>
    public void BindOutput(string name, ReadOnlySpan<long> dims, Memory<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_session.TryGetOutput(name, out var index, out var namePointer))
            OrtThrow.Ort($"the model has no output '{name}' (outputs: {string.Join(", ", _session.Outputs.Select(v => v.Name))})", _session.ModelName);
        var elementType = _session.Outputs[index].ElementType;
        if (elementType is ElementType.String or ElementType.Undefined)
            throw new ArgumentException($"output '{name}' is {elementType.DisplayName()}, which cannot be bound to a buffer", nameof(name));
        Bind(_outputs, name, namePointer, elementType, dims, buffer.Pin(), buffer.Length);
    }

    /// <summary>Runs the session on the bound inputs, writing the bound outputs.</summary>
    /// <exception cref="OrtException">ORT rejects a bound tensor or fails.</exception>
    public void Run()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_dirty)
            Rebuild();
        var native = _session.Environment.Native;
        var handle = _session.Handle;
        var addedRef = false;
        try
        {
            handle.DangerousAddRef(ref addedRef);
            fixed (nint* inputNames = _inputNames)
            fixed (nint* inputValues = _inputValues)
            fixed (nint* outputNames = _outputNames)
            fixed (nint* outputValues = _outputValues)
            {
                native.Check(native.Run(handle.Pointer, 0, inputNames, inputValues, (nuint)_inputNames.Length,
                    outputNames, (nuint)_outputNames.Length, outputValues), "to run", _session.ModelName);
            }
        }
        finally
        {
            if (addedRef)
                handle.DangerousRelease();
        }
    }

    /// <summary>Releases every bound <c>OrtValue</c> and unpins every buffer.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        foreach (var slot in _inputs.Concat(_outputs))
            slot.Dispose();
        _inputs.Clear();
        _outputs.Clear();
    }

    void Bind(List<Slot> slots, string name, nint namePointer, ElementType elementType, ReadOnlySpan<long> dims, MemoryHandle pin, int byteLength)
    {
        Handles.ValueHandle value;
        try
        {
            value = new Handles.ValueHandle(_session.Environment.Native);
            value.Own(OrtTensors.CreateOverBuffer(_session.Environment, elementType, dims.ToArray(), pin.Pointer, (nuint)byteLength, name, _session.ModelName));
        }
        catch
        {
            pin.Dispose();
            throw;
        }
        var existing = slots.FindIndex(s => s.Name == name);
        if (existing >= 0)
        {
            slots[existing].Dispose();
            slots[existing] = new Slot(name, namePointer, value, pin);
        }
        else
        {
            slots.Add(new Slot(name, namePointer, value, pin));
        }
        _dirty = true;
    }

    void Rebuild()
    {
        _inputNames = GC.AllocateArray<nint>(_inputs.Count, pinned: true);
        _inputValues = GC.AllocateArray<nint>(_inputs.Count, pinned: true);
        _outputNames = GC.AllocateArray<nint>(_outputs.Count, pinned: true);
        _outputValues = GC.AllocateArray<nint>(_outputs.Count, pinned: true);
        for (var i = 0; i < _inputs.Count; i++)
            (_inputNames[i], _inputValues[i]) = (_inputs[i].NamePointer, _inputs[i].Value.Pointer);
        for (var o = 0; o < _outputs.Count; o++)
            (_outputNames[o], _outputValues[o]) = (_outputs[o].NamePointer, _outputs[o].Value.Pointer);
        _dirty = false;
    }

    /// <summary>One bound tensor: its native value and the pin that keeps its buffer in place.</summary>
    sealed class Slot(string name, nint namePointer, Handles.ValueHandle value, MemoryHandle pin) : IDisposable
    {
        MemoryHandle _pin = pin;

        public string Name { get; } = name;

        public nint NamePointer { get; } = namePointer;

        public Handles.ValueHandle Value { get; } = value;

        // The value goes first: it points into the pinned buffer.
        public void Dispose()
        {
            Value.Dispose();
            _pin.Dispose();
        }
    }
}
