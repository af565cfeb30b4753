using OnnxFuse.Engine.Kernels.Gemm;

namespace OnnxFuse.Engine.Kernels.Recurrent;

/// <summary>
/// The weight matrices of RNN, GRU and LSTM as GEMM operands. W[d] [gates·hidden, input] and R[d] [gates·hidden, hidden]
/// are stored one gate block of rows after another, so op(B) = W[d]ᵀ puts each gate in its own columns of the product.
/// R can be cut into column blocks of whole gates, because GRU must apply its reset gate before the last block's product.
/// </summary>
static class RecurrentWeights
{
    /// <summary>Packs W[d]ᵀ of every direction; <paramref name="w"/> is [directions, gateWidth, inputSize].</summary>
    public static PackedMatrix[] PackInput(ReadOnlySpan<float> w, int directionCount, int gateWidth, int inputSize)
    {
        var packed = new PackedMatrix[directionCount];
        var size = gateWidth * inputSize;
        for (var d = 0; d < directionCount; d++)
            packed[d] = GemmKernel.PackB(w.Slice(d * size, size), inputSize, gateWidth, transposeB: true);
        return packed;
    }

    /// <summary>
    /// Packs R[d]ᵀ of every direction in column blocks of <paramref name="blockGateCounts"/> gates each (summing to the
    /// operator's gate count); <paramref name="r"/> is [directions, gates·hidden, hidden]. Result [direction][block].
    /// </summary>
    public static PackedMatrix[][] PackRecurrence(ReadOnlySpan<float> r, int directionCount, int hiddenSize, ReadOnlySpan<int> blockGateCounts)
    {
        var packed = new PackedMatrix[directionCount][];
        var gateSize = hiddenSize * hiddenSize;
        var offset = 0;
        for (var d = 0; d < directionCount; d++)
        {
            packed[d] = new PackedMatrix[blockGateCounts.Length];
            for (var block = 0; block < blockGateCounts.Length; block++)
            {
                var gates = blockGateCounts[block];
                packed[d][block] = GemmKernel.PackB(r.Slice(offset, gates * gateSize), hiddenSize, gates * hiddenSize, transposeB: true);
                offset += gates * gateSize;
            }
        }
        return packed;
    }

    /// <summary>
    /// The input projection of all steps at once: gates[rows, gateWidth] = x[rows, inputSize] · W[d]ᵀ + bias, with W[d]
    /// prepacked or, when <paramref name="packedW"/> is null, read from <paramref name="w"/> [gateWidth, inputSize].
    /// </summary>
    public static void Project(ReadOnlySpan<float> x, PackedMatrix? packedW, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, int rowCount,
        int gateWidth, int inputSize, int threadCount, Span<float> gates)
    {
        var p = new GemmParameters(rowCount, gateWidth, inputSize)
        {
            TransposeB = packedW is null,
            BiasKind = BiasKind.PerColumn,
            ThreadCount = threadCount,
        };
        if (packedW is null)
            GemmKernel.Run(x, w, bias, p, gates);
        else
            GemmKernel.Run(x, packedW, bias, p, gates);
    }

    /// <summary>
    /// One step's recurrence for the whole batch: destination[rows, block columns] (row stride <paramref name="leading"/>)
    /// = state[rows, hidden] · R-block + bias, added to what destination holds when <paramref name="accumulate"/>.
    /// </summary>
    public static void Recur(ReadOnlySpan<float> state, PackedMatrix block, ReadOnlySpan<float> bias, bool accumulate, int rowCount,
        int leading, int threadCount, Span<float> destination)
    {
        var p = new GemmParameters(rowCount, block.OuterCount, block.Depth)
        {
            LeadingC = leading,
            Beta = accumulate ? 1f : 0f,
            BiasKind = bias.IsEmpty ? BiasKind.None : BiasKind.PerColumn,
            ThreadCount = threadCount,
        };
        GemmKernel.Run(state, block, bias, p, destination);
    }
}
