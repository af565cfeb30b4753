using System.Runtime.InteropServices;

namespace OnnxFuse.Ort;

/// <summary>
/// The one door to native code: loads ONNX Runtime's shared library, asks <c>OrtGetApiBase()</c> for the
/// <c>OrtApi</c> function table and keeps typed pointers to the entries OnnxFuse calls.
/// </summary>
/// <remarks>
/// Entry positions are those of <c>struct OrtApi</c> in <c>onnxruntime_c_api.h</c>. ONNX Runtime only ever appends to
/// that struct, so every index below (all present since API version 13) stays valid in later versions.
/// Opaque ORT objects travel as <see cref="nint"/>; <c>size_t</c> is <see cref="nuint"/>; C enums are <see cref="int"/>.
/// Every <c>OrtStatus*</c> result goes through <see cref="Check"/>. The library is never unloaded: ORT keeps global
/// state (thread pools, the environment) that must outlive every session.
/// </remarks>
sealed unsafe class NativeMethods
{
    /// <summary>The <c>ORT_API_VERSION</c> of ONNX Runtime 1.30, the release OnnxFuse pins.</summary>
    public const uint PreferredApiVersion = 30;

    /// <summary>Oldest API version whose table holds every entry used here (the header these indices were read from).</summary>
    public const uint MinimumApiVersion = 13;

    public const int OrtLoggingLevelError = 3;
    public const int OrtDeviceAllocator = 0;
    public const int OrtMemTypeDefault = 0;
    public const int OnnxTypeTensor = 1;

    // Positions in struct OrtApi (onnxruntime_c_api.h).
    const int GetErrorCodeIndex = 1;
    const int GetErrorMessageIndex = 2;
    const int CreateEnvIndex = 3;
    const int CreateSessionIndex = 7;
    const int CreateSessionFromArrayIndex = 8;
    const int RunIndex = 9;
    const int CreateSessionOptionsIndex = 10;
    const int EnableProfilingIndex = 14;
    const int SetSessionGraphOptimizationLevelIndex = 23;
    const int SetIntraOpNumThreadsIndex = 24;
    const int SetInterOpNumThreadsIndex = 25;
    const int SessionGetInputCountIndex = 30;
    const int SessionGetOutputCountIndex = 31;
    const int SessionGetOverridableInitializerCountIndex = 32;
    const int SessionGetInputTypeInfoIndex = 33;
    const int SessionGetOutputTypeInfoIndex = 34;
    const int SessionGetOverridableInitializerTypeInfoIndex = 35;
    const int SessionGetInputNameIndex = 36;
    const int SessionGetOutputNameIndex = 37;
    const int SessionGetOverridableInitializerNameIndex = 38;
    const int CreateTensorAsOrtValueIndex = 48;
    const int CreateTensorWithDataAsOrtValueIndex = 49;
    const int GetTensorMutableDataIndex = 51;
    const int FillStringTensorIndex = 52;
    const int GetStringTensorDataLengthIndex = 53;
    const int GetStringTensorContentIndex = 54;
    const int CastTypeInfoToTensorInfoIndex = 55;
    const int GetOnnxTypeFromTypeInfoIndex = 56;
    const int GetTensorElementTypeIndex = 60;
    const int GetDimensionsCountIndex = 61;
    const int GetDimensionsIndex = 62;
    const int GetSymbolicDimensionsIndex = 63;
    const int GetTensorTypeAndShapeIndex = 65;
    const int CreateCpuMemoryInfoIndex = 69;
    const int AllocatorFreeIndex = 76;
    const int GetAllocatorWithDefaultOptionsIndex = 78;
    const int ReleaseEnvIndex = 92;
    const int ReleaseStatusIndex = 93;
    const int ReleaseMemoryInfoIndex = 94;
    const int ReleaseSessionIndex = 95;
    const int ReleaseValueIndex = 96;
    const int ReleaseTypeInfoIndex = 98;
    const int ReleaseTensorTypeAndShapeInfoIndex = 99;
    const int ReleaseSessionOptionsIndex = 100;

    NativeMethods(string libraryPath, nint library, uint apiVersion, string version, nint* api)
    {
        LibraryPath = libraryPath;
        Library = library;
        ApiVersion = apiVersion;
        Version = version;

        GetErrorCode = (delegate* unmanaged[Cdecl]<nint, int>)api[GetErrorCodeIndex];
        GetErrorMessage = (delegate* unmanaged[Cdecl]<nint, byte*>)api[GetErrorMessageIndex];
        CreateEnv = (delegate* unmanaged[Cdecl]<int, byte*, nint*, nint>)api[CreateEnvIndex];
        CreateSession = (delegate* unmanaged[Cdecl]<nint, void*, nint, nint*, nint>)api[CreateSessionIndex];
        CreateSessionFromArray = (delegate* unmanaged[Cdecl]<nint, void*, nuint, nint, nint*, nint>)api[CreateSessionFromArrayIndex];
        Run = (delegate* unmanaged[Cdecl]<nint, nint, nint*, nint*, nuint, nint*, nuint, nint*, nint>)api[RunIndex];
        CreateSessionOptions = (delegate* unmanaged[Cdecl]<nint*, nint>)api[CreateSessionOptionsIndex];
        EnableProfiling = (delegate* unmanaged[Cdecl]<nint, byte*, nint>)api[EnableProfilingIndex];
        SetSessionGraphOptimizationLevel = (delegate* unmanaged[Cdecl]<nint, int, nint>)api[SetSessionGraphOptimizationLevelIndex];
        SetIntraOpNumThreads = (delegate* unmanaged[Cdecl]<nint, int, nint>)api[SetIntraOpNumThreadsIndex];
        SetInterOpNumThreads = (delegate* unmanaged[Cdecl]<nint, int, nint>)api[SetInterOpNumThreadsIndex];
        SessionGetInputCount = (delegate* unmanaged[Cdecl]<nint, nuint*, nint>)api[SessionGetInputCountIndex];
        SessionGetOutputCount = (delegate* unmanaged[Cdecl]<nint, nuint*, nint>)api[SessionGetOutputCountIndex];
        SessionGetInputTypeInfo = (delegate* unmanaged[Cdecl]<nint, nuint, nint*, nint>)api[SessionGetInputTypeInfoIndex];
        SessionGetOutputTypeInfo = (delegate* unmanaged[Cdecl]<nint, nuint, nint*, nint>)api[SessionGetOutputTypeInfoIndex];
        SessionGetInputName = (delegate* unmanaged[Cdecl]<nint, nuint, nint, byte**, nint>)api[SessionGetInputNameIndex];
        SessionGetOutputName = (delegate* unmanaged[Cdecl]<nint, nuint, nint, byte**, nint>)api[SessionGetOutputNameIndex];
        SessionGetOverridableInitializerCount = (delegate* unmanaged[Cdecl]<nint, nuint*, nint>)api[SessionGetOverridableInitializerCountIndex];
        SessionGetOverridableInitializerTypeInfo = (delegate* unmanaged[Cdecl]<nint, nuint, nint*, nint>)api[SessionGetOverridableInitializerTypeInfoIndex];
        SessionGetOverridableInitializerName = (delegate* unmanaged[Cdecl]<nint, nuint, nint, byte**, nint>)api[SessionGetOverridableInitializerNameIndex];
        CreateTensorAsOrtValue = (delegate* unmanaged[Cdecl]<nint, long*, nuint, int, nint*, nint>)api[CreateTensorAsOrtValueIndex];
        CreateTensorWithDataAsOrtValue = (delegate* unmanaged[Cdecl]<nint, void*, nuint, long*, nuint, int, nint*, nint>)api[CreateTensorWithDataAsOrtValueIndex];
        GetTensorMutableData = (delegate* unmanaged[Cdecl]<nint, void**, nint>)api[GetTensorMutableDataIndex];
        FillStringTensor = (delegate* unmanaged[Cdecl]<nint, byte**, nuint, nint>)api[FillStringTensorIndex];
        GetStringTensorDataLength = (delegate* unmanaged[Cdecl]<nint, nuint*, nint>)api[GetStringTensorDataLengthIndex];
        GetStringTensorContent = (delegate* unmanaged[Cdecl]<nint, void*, nuint, nuint*, nuint, nint>)api[GetStringTensorContentIndex];
        CastTypeInfoToTensorInfo = (delegate* unmanaged[Cdecl]<nint, nint*, nint>)api[CastTypeInfoToTensorInfoIndex];
        GetOnnxTypeFromTypeInfo = (delegate* unmanaged[Cdecl]<nint, int*, nint>)api[GetOnnxTypeFromTypeInfoIndex];
        GetTensorElementType = (delegate* unmanaged[Cdecl]<nint, int*, nint>)api[GetTensorElementTypeIndex];
        GetDimensionsCount = (delegate* unmanaged[Cdecl]<nint, nuint*, nint>)api[GetDimensionsCountIndex];
        GetDimensions = (delegate* unmanaged[Cdecl]<nint, long*, nuint, nint>)api[GetDimensionsIndex];
        GetSymbolicDimensions = (delegate* unmanaged[Cdecl]<nint, byte**, nuint, nint>)api[GetSymbolicDimensionsIndex];
        GetTensorTypeAndShape = (delegate* unmanaged[Cdecl]<nint, nint*, nint>)api[GetTensorTypeAndShapeIndex];
        CreateCpuMemoryInfo = (delegate* unmanaged[Cdecl]<int, int, nint*, nint>)api[CreateCpuMemoryInfoIndex];
        AllocatorFree = (delegate* unmanaged[Cdecl]<nint, void*, nint>)api[AllocatorFreeIndex];
        GetAllocatorWithDefaultOptions = (delegate* unmanaged[Cdecl]<nint*, nint>)api[GetAllocatorWithDefaultOptionsIndex];
        ReleaseEnv = (delegate* unmanaged[Cdecl]<nint, void>)api[ReleaseEnvIndex];
        ReleaseStatus = (delegate* unmanaged[Cdecl]<nint, void>)api[ReleaseStatusIndex];
        ReleaseMemoryInfo = (delegate* unmanaged[Cdecl]<nint, void>)api[ReleaseMemoryInfoIndex];
        ReleaseSession = (delegate* unmanaged[Cdecl]<nint, void>)api[ReleaseSessionIndex];
        ReleaseValue = (delegate* unmanaged[Cdecl]<nint, void>)api[ReleaseValueIndex];
        ReleaseTypeInfo = (delegate* unmanaged[Cdecl]<nint, void>)api[ReleaseTypeInfoIndex];
        ReleaseTensorTypeAndShapeInfo = (delegate* unmanaged[Cdecl]<nint, void>)api[ReleaseTensorTypeAndShapeInfoIndex];
        ReleaseSessionOptions = (delegate* unmanaged[Cdecl]<nint, void>)api[ReleaseSessionOptionsIndex];
    }

    /// <summary>What was handed to the loader: a full path, or a bare file name the system loader resolved.</summary>
    public string LibraryPath { get; }

    public nint Library { get; }

    /// <summary>The <c>OrtApi</c> version obtained from <c>GetApi</c>.</summary>
    public uint ApiVersion { get; }

    /// <summary>The library's own version string, for example <c>1.30.0</c>.</summary>
    public string Version { get; }

    internal readonly delegate* unmanaged[Cdecl]<nint, int> GetErrorCode;
    internal readonly delegate* unmanaged[Cdecl]<nint, byte*> GetErrorMessage;
    internal readonly delegate* unmanaged[Cdecl]<int, byte*, nint*, nint> CreateEnv;
    internal readonly delegate* unmanaged[Cdecl]<nint, void*, nint, nint*, nint> CreateSession;
    internal readonly delegate* unmanaged[Cdecl]<nint, void*, nuint, nint, nint*, nint> CreateSessionFromArray;
    internal readonly delegate* unmanaged[Cdecl]<nint, nint, nint*, nint*, nuint, nint*, nuint, nint*, nint> Run;
    internal readonly delegate* unmanaged[Cdecl]<nint*, nint> CreateSessionOptions;
    /// <summary>EnableProfiling(options, profile_file_prefix): ORTCHAR_T is char (UTF-8) on Linux.</summary>
    internal readonly delegate* unmanaged[Cdecl]<nint, byte*, nint> EnableProfiling;
    internal readonly delegate* unmanaged[Cdecl]<nint, int, nint> SetSessionGraphOptimizationLevel;
    internal readonly delegate* unmanaged[Cdecl]<nint, int, nint> SetIntraOpNumThreads;
    internal readonly delegate* unmanaged[Cdecl]<nint, int, nint> SetInterOpNumThreads;
    internal readonly delegate* unmanaged[Cdecl]<nint, nuint*, nint> SessionGetInputCount;
    internal readonly delegate* unmanaged[Cdecl]<nint, nuint*, nint> SessionGetOutputCount;
    internal readonly delegate* unmanaged[Cdecl]<nint, nuint, nint*, nint> SessionGetInputTypeInfo;
    internal readonly delegate* unmanaged[Cdecl]<nint, nuint, nint*, nint> SessionGetOutputTypeInfo;
    internal readonly delegate* unmanaged[Cdecl]<nint, nuint, nint, byte**, nint> SessionGetInputName;
    internal readonly delegate* unmanaged[Cdecl]<nint, nuint, nint, byte**, nint> SessionGetOutputName;
    internal readonly delegate* unmanaged[Cdecl]<nint, nuint*, nint> SessionGetOverridableInitializerCount;
    internal readonly delegate* unmanaged[Cdecl]<nint, nuint, nint*, nint> SessionGetOverridableInitializerTypeInfo;
    internal readonly delegate* unmanaged[Cdecl]<nint, nuint, nint, byte**, nint> SessionGetOverridableInitializerName;
    internal readonly delegate* unmanaged[Cdecl]<nint, long*, nuint, int, nint*, nint> CreateTensorAsOrtValue;
    internal readonly delegate* unmanaged[Cdecl]<nint, void*, nuint, long*, nuint, int, nint*, nint> CreateTensorWithDataAsOrtValue;
    internal readonly delegate* unmanaged[Cdecl]<nint, void**, nint> GetTensorMutableData;
    internal readonly delegate* unmanaged[Cdecl]<nint, byte**, nuint, nint> FillStringTensor;
    internal readonly delegate* unmanaged[Cdecl]<nint, nuint*, nint> GetStringTensorDataLength;
    internal readonly delegate* unmanaged[Cdecl]<nint, void*, nuint, nuint*, nuint, nint> GetStringTensorContent;
    internal readonly delegate* unmanaged[Cdecl]<nint, nint*, nint> CastTypeInfoToTensorInfo;
    internal readonly delegate* unmanaged[Cdecl]<nint, int*, nint> GetOnnxTypeFromTypeInfo;
    internal readonly delegate* unmanaged[Cdecl]<nint, int*, nint> GetTensorElementType;
    internal readonly delegate* unmanaged[Cdecl]<nint, nuint*, nint> GetDimensionsCount;
    internal readonly delegate* unmanaged[Cdecl]<nint, long*, nuint, nint> GetDimensions;
    internal readonly delegate* unmanaged[Cdecl]<nint, byte**, nuint, nint> GetSymbolicDimensions;
    internal readonly delegate* unmanaged[Cdecl]<nint, nint*, nint> GetTensorTypeAndShape;
    internal readonly delegate* unmanaged[Cdecl]<int, int, nint*, nint> CreateCpuMemoryInfo;
    internal readonly delegate* unmanaged[Cdecl]<nint, void*, nint> AllocatorFree;
    internal readonly delegate* unmanaged[Cdecl]<nint*, nint> GetAllocatorWithDefaultOptions;
    internal readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseEnv;
    internal readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseStatus;
    internal readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseMemoryInfo;
    internal readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseSession;
    internal readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseValue;
    internal readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseTypeInfo;
    internal readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseTensorTypeAndShapeInfo;
    internal readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseSessionOptions;

    /// <summary>
    /// Loads the library at <paramref name="libraryPath"/> (a full path, or a bare name for the system loader's search)
    /// and binds the newest <c>OrtApi</c> it offers between <see cref="PreferredApiVersion"/> and <see cref="MinimumApiVersion"/>.
    /// </summary>
    /// <exception cref="OrtUnavailableException">The file cannot be loaded, is not ONNX Runtime, or is too old.</exception>
    public static NativeMethods Load(string libraryPath)
    {
        if (!NativeLibrary.TryLoad(libraryPath, out var library))
            OrtThrow.Unavailable($"cannot load ONNX Runtime's native library '{libraryPath}' (missing, or built for another platform)");
        if (!NativeLibrary.TryGetExport(library, "OrtGetApiBase", out var getApiBaseExport))
            OrtThrow.Unavailable($"'{libraryPath}' is not ONNX Runtime's native library: it exports no OrtGetApiBase");

        // struct OrtApiBase { const OrtApi* (*GetApi)(uint32_t version); const char* (*GetVersionString)(void); }
        var apiBase = ((delegate* unmanaged[Cdecl]<nint*>)getApiBaseExport)();
        var getApi = (delegate* unmanaged[Cdecl]<uint, nint*>)apiBase[0];
        var getVersionString = (delegate* unmanaged[Cdecl]<byte*>)apiBase[1];
        var version = Marshal.PtrToStringUTF8((nint)getVersionString()) ?? "unknown";

        // GetApi answers null for versions newer than the library; step down so a slightly older build still works.
        for (var apiVersion = PreferredApiVersion; apiVersion >= MinimumApiVersion; apiVersion--)
        {
            var api = getApi(apiVersion);
            if (api is not null)
                return new NativeMethods(libraryPath, library, apiVersion, version, api);
        }
        return OrtThrow.Unavailable<NativeMethods>(
            $"ONNX Runtime {version} at '{libraryPath}' offers no C API version between {MinimumApiVersion} and {PreferredApiVersion}");
    }

    /// <summary>Turns a non-null <c>OrtStatus*</c> into an <see cref="OrtException"/>, releasing the status either way.</summary>
    /// <param name="status">The status an API call returned; null means success.</param>
    /// <param name="context">What failed, as an infinitive for the message: "to load the model".</param>
    /// <param name="modelName">The model the call concerned, if any.</param>
    public void Check(nint status, string context, string? modelName = null)
    {
        if (status != 0)
            ThrowFromStatus(status, context, modelName);
    }

    void ThrowFromStatus(nint status, string context, string? modelName)
    {
        using var owned = new Handles.StatusHandle(this, status);
        var message = Marshal.PtrToStringUTF8((nint)GetErrorMessage(status)) ?? "no message";
        var code = GetErrorCode(status);
        OrtThrow.Ort($"ONNX Runtime failed {context}: {message}", modelName, (OrtErrorCode)code);
    }
}
