using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ort.Handles;

namespace OnnxFuse.Ort;

/// <summary>
/// Moves tensors across the boundary. Inputs become <c>OrtValue</c>s over the caller's pinned bytes (no copy; the pin
/// must outlive the value); string inputs are copied into ORT-allocated string tensors. Outputs are copied out into new
/// <see cref="TensorData"/>, so nothing returned refers to native memory.
/// </summary>
static unsafe class OrtTensors
{
    // CreateTensorWithDataAsOrtValue wants a non-null pointer even for zero bytes.
    static readonly byte[] s_emptyBuffer = GC.AllocateArray<byte>(8, pinned: true);

    /// <summary>
    /// An <c>OrtValue</c> for <paramref name="tensor"/>; numeric contents are pinned into <paramref name="pin"/>, which
    /// the caller disposes after releasing the returned value.
    /// </summary>
    public static nint CreateInput(OrtEnvironment environment, TensorData tensor, ref MemoryHandle pin, string name, string modelName)
    {
        if (tensor.ElementType == ElementType.String)
            return CreateStringTensor(environment, tensor, name, modelName);
        pin = tensor.Bytes.Pin();
        return CreateOverBuffer(environment, tensor.ElementType, tensor.Dims, pin.Pointer, (nuint)tensor.Bytes.Length, name, modelName);
    }

    /// <summary>An <c>OrtValue</c> over <paramref name="buffer"/>, which must stay pinned while the value lives.</summary>
    public static nint CreateOverBuffer(OrtEnvironment environment, ElementType elementType, IReadOnlyList<long> dims, void* buffer,
        nuint byteLength, string name, string modelName)
    {
        var native = environment.Native;
        Span<long> shape = dims.Count <= 16 ? stackalloc long[dims.Count] : new long[dims.Count];
        for (var i = 0; i < shape.Length; i++)
            shape[i] = dims[i];
        if (byteLength == 0)
            buffer = Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(s_emptyBuffer));
        nint value;
        fixed (long* shapePointer = shape)
        {
            native.Check(native.CreateTensorWithDataAsOrtValue(environment.CpuMemory.Pointer, buffer, byteLength, shapePointer,
                (nuint)shape.Length, (int)elementType, &value), $"to wrap tensor '{name}' ({elementType.DisplayName()}[{string.Join(',', dims)}])", modelName);
        }
        return value;
    }

    static nint CreateStringTensor(OrtEnvironment environment, TensorData tensor, string name, string modelName)
    {
        var native = environment.Native;
        var strings = tensor.Strings!;
        var shape = tensor.Dims.ToArray();
        // FillStringTensor copies null-terminated strings; lay them out back to back in one buffer.
        var buffer = new byte[strings.Sum(s => s.Length + 1)];
        var pointers = new nint[strings.Count];
        nint value;
        fixed (long* shapePointer = shape)
        {
            native.Check(native.CreateTensorAsOrtValue(environment.DefaultAllocator, shapePointer, (nuint)shape.Length,
                (int)ElementType.String, &value), $"to create string tensor '{name}'", modelName);
        }
        try
        {
            fixed (byte* bufferPointer = buffer)
            fixed (nint* pointerArray = pointers)
            {
                var offset = 0;
                for (var i = 0; i < strings.Count; i++)
                {
                    strings[i].CopyTo(buffer, offset);
                    pointers[i] = (nint)(bufferPointer + offset);
                    offset += strings[i].Length + 1;
                }
                native.Check(native.FillStringTensor(value, (byte**)pointerArray, (nuint)strings.Count), $"to fill string tensor '{name}'", modelName);
            }
            return value;
        }
        catch
        {
            native.ReleaseValue(value);
            throw;
        }
    }

    /// <summary>Copies a tensor <c>OrtValue</c> into a new <see cref="TensorData"/> named <paramref name="name"/>.</summary>
    public static TensorData Read(OrtEnvironment environment, nint value, string name, string modelName)
    {
        var native = environment.Native;
        var context = $"to read output '{name}'";
        int type;
        long[] dims;
        using (var info = new TensorTypeAndShapeInfoHandle(native))
        {
            nint infoPointer;
            native.Check(native.GetTensorTypeAndShape(value, &infoPointer), context, modelName);
            info.Own(infoPointer);
            native.Check(native.GetTensorElementType(infoPointer, &type), context, modelName);
            dims = ReadDims(native, infoPointer, context, modelName);
        }
        if (!ElementTypes.IsKnown(type))
            OrtThrow.Ort($"output '{name}' has element type {type}, which OnnxFuse does not know", modelName);
        var elementType = (ElementType)type;
        long elementCount = 1;
        foreach (var d in dims)
            elementCount *= d;

        if (elementType == ElementType.String)
            return ReadStrings(native, value, dims, elementCount, name, modelName);

        var bytes = new byte[elementType.ByteCount(elementCount)];
        if (bytes.Length > 0)
        {
            void* data;
            native.Check(native.GetTensorMutableData(value, &data), context, modelName);
            new ReadOnlySpan<byte>(data, bytes.Length).CopyTo(bytes);
        }
        return TensorData.FromBytes(elementType, dims, bytes, name);
    }

    /// <summary>The dimensions in an <c>OrtTensorTypeAndShapeInfo</c>; -1 marks an unknown size.</summary>
    public static long[] ReadDims(NativeMethods native, nint info, string context, string modelName)
    {
        nuint rank;
        native.Check(native.GetDimensionsCount(info, &rank), context, modelName);
        var dims = new long[(int)rank];
        fixed (long* dimsPointer = dims)
            native.Check(native.GetDimensions(info, dimsPointer, rank), context, modelName);
        return dims;
    }

    static TensorData ReadStrings(NativeMethods native, nint value, long[] dims, long elementCount, string name, string modelName)
    {
        var context = $"to read string output '{name}'";
        nuint length;
        native.Check(native.GetStringTensorDataLength(value, &length), context, modelName);
        var content = new byte[(int)length];
        var offsets = new nuint[elementCount];
        fixed (byte* contentPointer = content)
        fixed (nuint* offsetsPointer = offsets)
        {
            native.Check(native.GetStringTensorContent(value, contentPointer, length, offsetsPointer, (nuint)offsets.Length), context, modelName);
        }
        var strings = new byte[elementCount][];
        for (var i = 0; i < strings.Length; i++)
        {
            var start = (int)offsets[i];
            var end = i + 1 < strings.Length ? (int)offsets[i + 1] : content.Length;
            strings[i] = content[start..end];
        }
        return TensorData.FromStrings(dims, strings, name);
    }
}
