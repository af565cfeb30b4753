using System.Numerics;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels;

/// <summary>A computation generic over a numeric element type, called through <see cref="ElementDispatch"/>.</summary>
interface INumericAction
{
    void Invoke<T>() where T : unmanaged, INumber<T>;
}

/// <summary>A computation over floating-point elements.</summary>
interface IFloatAction
{
    void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>A data-movement computation that only needs the element size (T is byte, ushort, uint or ulong).</summary>
interface IMoveAction
{
    void Invoke<T>() where T : unmanaged;
}

/// <summary>Switches once per kernel call from a run-time <see cref="ElementType"/> to a generic instantiation.</summary>
static class ElementDispatch
{
    public static void Numeric<TAction>(ElementType type, ref TAction action) where TAction : struct, INumericAction, allows ref struct
    {
        switch (type)
        {
            case ElementType.Float: action.Invoke<float>(); break;
            case ElementType.Double: action.Invoke<double>(); break;
            case ElementType.Int64: action.Invoke<long>(); break;
            case ElementType.Int32: action.Invoke<int>(); break;
            case ElementType.Float16: action.Invoke<Half>(); break;
            case ElementType.Int16: action.Invoke<short>(); break;
            case ElementType.Int8: action.Invoke<sbyte>(); break;
            case ElementType.UInt8: action.Invoke<byte>(); break;
            case ElementType.UInt16: action.Invoke<ushort>(); break;
            case ElementType.UInt32: action.Invoke<uint>(); break;
            case ElementType.UInt64: action.Invoke<ulong>(); break;
            default: Throw.ShapeMismatch($"{type.DisplayName()} elements are not supported here"); break;
        }
    }

    public static void Float<TAction>(ElementType type, ref TAction action) where TAction : struct, IFloatAction, allows ref struct
    {
        switch (type)
        {
            case ElementType.Float: action.Invoke<float>(); break;
            case ElementType.Double: action.Invoke<double>(); break;
            case ElementType.Float16: action.Invoke<Half>(); break;
            default: Throw.ShapeMismatch($"{type.DisplayName()} elements are not supported here (floating point only)"); break;
        }
    }

    public static void Move<TAction>(ElementType type, ref TAction action) where TAction : struct, IMoveAction, allows ref struct
    {
        switch (type.BitSize())
        {
            case 8: action.Invoke<byte>(); break;
            case 16: action.Invoke<ushort>(); break;
            case 32: action.Invoke<uint>(); break;
            case 64: action.Invoke<ulong>(); break;
            default: Throw.ShapeMismatch($"{type.DisplayName()} elements are not supported here"); break;
        }
    }
}
