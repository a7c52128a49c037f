/**
 * WebGPU device management for the kernels: adapter and device acquisition
 * (never at import time), a pipeline cache keyed by WGSL source, a buffer pool
 * with live/peak accounting, compilation errors with line and column, error
 * scopes around every submission, and device-loss detection.
 *
 * @module
 */

/** Options for acquiring a WebGPU device. */
export interface GpuContextOptions {
  /** Adapter power preference (default: none, the implementation's choice). */
  powerPreference?: GPUPowerPreference;
  /** Bytes of free buffers the pool keeps for reuse (default 256 MiB). */
  poolKeepBytes?: number;
}

/** Counts of the buffer pool (bytes are the pool's rounded allocation sizes). */
export interface PoolStats {
  /** Buffers handed out and not yet released. */
  liveBuffers: number;
  /** Bytes of the live buffers. */
  liveBytes: number;
  /** Free buffers kept for reuse. */
  pooledBuffers: number;
  /** Bytes of the free buffers. */
  pooledBytes: number;
  /** Peak of live + pooled bytes since creation (or since `resetPeak`). */
  peakBytes: number;
  /** Buffers created by the pool since creation. */
  created: number;
}

/** Message for a missing WebGPU implementation or adapter. */
export const NO_ADAPTER_MESSAGE = "no WebGPU adapter found (navigator.gpu.requestAdapter() " +
  "returned null); run with a GPU or a software adapter such as Mesa llvmpipe, " +
  "or use the cpu backend";

/** True when `navigator.gpu` exists in this runtime (does not request an adapter). */
export function hasWebGpuApi(): boolean {
  return typeof navigator !== "undefined" && "gpu" in navigator &&
    (navigator as Navigator & { gpu?: GPU }).gpu !== undefined;
}

/** Requests an adapter, or returns null when there is none (or no WebGPU API). */
export async function requestAdapter(
  powerPreference?: GPUPowerPreference,
): Promise<GPUAdapter | null> {
  if (!hasWebGpuApi()) return null;
  return await navigator.gpu.requestAdapter(powerPreference ? { powerPreference } : undefined);
}

/** Size class of a buffer: powers of two below 64 KiB, eighths of a power of two above. */
function sizeClass(bytes: number): number {
  const b = Math.max(256, Math.ceil(bytes / 16) * 16);
  if (b <= 65536) return 2 ** Math.ceil(Math.log2(b));
  const step = 2 ** (Math.floor(Math.log2(b)) - 3);
  return Math.ceil(b / step) * step;
}

/** Formats the compilation messages of a shader module with line, column and source line. */
export function formatCompilationMessages(
  label: string,
  source: string,
  messages: readonly GPUCompilationMessage[],
): string {
  const lines = source.split("\n");
  const parts = messages.map((m) => {
    const text = lines[m.lineNum - 1] ?? "";
    const caret = m.linePos > 0 ? " ".repeat(m.linePos - 1) + "^" : "";
    return `${label}:${m.lineNum}:${m.linePos}: ${m.type}: ${m.message}\n  ${text}\n  ${caret}`;
  });
  return `WGSL compilation failed:\n${parts.join("\n")}`;
}

/**
 * One WebGPU device with its pipeline cache and buffer pool. Create with
 * {@linkcode GpuContext.create}; call `dispose()` to destroy the device.
 */
export class GpuContext {
  /** The device. */
  readonly device: GPUDevice;
  /** The adapter's description, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)". */
  readonly adapterDescription: string;
  /** True when the adapter reports itself as a fallback (software) adapter. */
  readonly isFallbackAdapter: boolean;
  #lost: GPUDeviceLostInfo | null = null;
  #disposed = false;
  #uncaptured: GPUError[] = [];
  readonly #pipelines = new Map<string, Promise<GPUComputePipeline>>();
  readonly #free = new Map<string, GPUBuffer[]>();
  readonly #sizes = new WeakMap<GPUBuffer, number>();
  readonly #live = new Set<GPUBuffer>();
  readonly #keepBytes: number;
  #liveBytes = 0;
  #pooledBytes = 0;
  #pooledCount = 0;
  #peak = 0;
  #created = 0;

  private constructor(device: GPUDevice, adapter: GPUAdapter, keepBytes: number) {
    this.device = device;
    const info = adapter.info;
    this.adapterDescription = info.description ||
      [info.vendor, info.architecture, info.device].filter((s) => s).join(" ") || "unknown";
    this.isFallbackAdapter = (info as GPUAdapterInfo & { isFallbackAdapter?: boolean })
      .isFallbackAdapter ?? false;
    this.#keepBytes = keepBytes;
    device.lost.then((info) => {
      this.#lost = info;
    });
    device.addEventListener("uncapturederror", (event) => {
      this.#uncaptured.push((event as GPUUncapturedErrorEvent).error);
    });
  }

  /**
   * Requests an adapter and a device with the adapter's largest buffer and
   * workgroup limits. Throws an Error when there is no adapter.
   */
  static async create(options: GpuContextOptions = {}): Promise<GpuContext> {
    const adapter = await requestAdapter(options.powerPreference);
    if (adapter === null) throw new Error(NO_ADAPTER_MESSAGE);
    const l = adapter.limits;
    const device = await adapter.requestDevice({
      requiredLimits: {
        maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
        maxBufferSize: l.maxBufferSize,
        maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
        maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
        maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
        maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
      },
    });
    return new GpuContext(device, adapter, options.poolKeepBytes ?? 256 * 1024 * 1024);
  }

  /** The device's limits. */
  get limits(): GPUSupportedLimits {
    return this.device.limits;
  }

  /** Largest storage binding in bytes. */
  get maxBinding(): number {
    return Math.min(
      this.device.limits.maxStorageBufferBindingSize,
      this.device.limits.maxBufferSize,
    );
  }

  /** Throws a clear Error when the device was lost or the context disposed. */
  ensureAlive(): void {
    if (this.#disposed) throw new Error("the WebGPU backend was disposed");
    if (this.#lost !== null) {
      throw new Error(
        `WebGPU device lost (reason: ${this.#lost.reason}): ${
          this.#lost.message || "no message"
        }; create a new backend`,
      );
    }
    if (this.#uncaptured.length > 0) {
      const errors = this.#uncaptured.splice(0);
      throw new Error(`WebGPU error: ${errors.map((e) => e.message).join("; ")}`);
    }
  }

  /** True once the device was lost. */
  get lost(): boolean {
    return this.#lost !== null;
  }

  /**
   * The compute pipeline of a WGSL source (entry point `main`), cached by source.
   * Compilation errors are thrown with line and column.
   */
  pipeline(source: string, label = "kernel"): Promise<GPUComputePipeline> {
    this.ensureAlive();
    let cached = this.#pipelines.get(source);
    if (cached === undefined) {
      cached = this.#compile(source, label);
      this.#pipelines.set(source, cached);
      cached.catch(() => this.#pipelines.delete(source));
    }
    return cached;
  }

  /** Number of cached pipelines. */
  get pipelineCount(): number {
    return this.#pipelines.size;
  }

  async #compile(source: string, label: string): Promise<GPUComputePipeline> {
    const device = this.device;
    device.pushErrorScope("validation");
    const module = device.createShaderModule({ code: source, label });
    const info = await module.getCompilationInfo();
    const scoped = await device.popErrorScope();
    const errors = info.messages.filter((m) => m.type === "error");
    if (errors.length > 0) throw new Error(formatCompilationMessages(label, source, errors));
    if (scoped !== null) throw new Error(`WGSL compilation failed (${label}): ${scoped.message}`);
    device.pushErrorScope("validation");
    let pipeline: GPUComputePipeline;
    try {
      pipeline = await device.createComputePipelineAsync({
        label,
        layout: "auto",
        compute: { module, entryPoint: "main" },
      });
    } catch (error) {
      await device.popErrorScope();
      throw new Error(`pipeline creation failed (${label}): ${(error as Error).message}`);
    }
    const perr = await device.popErrorScope();
    if (perr !== null) throw new Error(`pipeline creation failed (${label}): ${perr.message}`);
    return pipeline;
  }

  /** Hands out a buffer of at least `bytes` bytes with `usage` (reused from the pool when possible). */
  acquire(bytes: number, usage: GPUBufferUsageFlags, label = "buffer"): GPUBuffer {
    this.ensureAlive();
    const size = sizeClass(bytes);
    if (size > this.device.limits.maxBufferSize) {
      throw new RangeError(
        `${label} needs ${bytes} bytes, more than the device's maxBufferSize ${this.device.limits.maxBufferSize}`,
      );
    }
    const key = `${size}:${usage}`;
    const list = this.#free.get(key);
    let buffer = list?.pop();
    if (buffer !== undefined) {
      this.#pooledBytes -= size;
      this.#pooledCount--;
    } else {
      buffer = this.device.createBuffer({ size, usage, label });
      this.#sizes.set(buffer, size);
      this.#created++;
    }
    this.#live.add(buffer);
    this.#liveBytes += size;
    this.#peak = Math.max(this.#peak, this.#liveBytes + this.#pooledBytes);
    return buffer;
  }

  /** Returns a buffer to the pool (destroyed when the pool is full). */
  release(buffer: GPUBuffer): void {
    if (!this.#live.delete(buffer)) return;
    const size = this.#sizes.get(buffer)!;
    this.#liveBytes -= size;
    if (this.#disposed || this.#pooledBytes + size > this.#keepBytes) {
      buffer.destroy();
      return;
    }
    const key = `${size}:${buffer.usage}`;
    let list = this.#free.get(key);
    if (list === undefined) this.#free.set(key, list = []);
    list.push(buffer);
    this.#pooledBytes += size;
    this.#pooledCount++;
  }

  /** Destroys the free buffers of the pool. */
  trim(): void {
    for (const list of this.#free.values()) for (const b of list) b.destroy();
    this.#free.clear();
    this.#pooledBytes = 0;
    this.#pooledCount = 0;
  }

  /** The pool's counters. */
  poolStats(): PoolStats {
    return {
      liveBuffers: this.#live.size,
      liveBytes: this.#liveBytes,
      pooledBuffers: this.#pooledCount,
      pooledBytes: this.#pooledBytes,
      peakBytes: this.#peak,
      created: this.#created,
    };
  }

  /** Resets the peak to the current live + pooled bytes. */
  resetPeak(): void {
    this.#peak = this.#liveBytes + this.#pooledBytes;
  }

  /**
   * Runs an operation with a scope that releases every buffer it acquired when the
   * operation ends (normally or by an exception), and turns validation and
   * out-of-memory errors of its submissions into exceptions.
   */
  async run<T>(operation: (scope: GpuScope) => Promise<T>): Promise<T> {
    this.ensureAlive();
    const scope = new GpuScope(this);
    this.device.pushErrorScope("out-of-memory");
    this.device.pushErrorScope("validation");
    let result: T;
    try {
      result = await operation(scope);
    } catch (error) {
      await this.device.popErrorScope().catch(() => null);
      await this.device.popErrorScope().catch(() => null);
      scope.releaseAll();
      if (this.#lost !== null) this.ensureAlive();
      throw error;
    }
    const validation = await this.device.popErrorScope();
    const memory = await this.device.popErrorScope();
    scope.releaseAll();
    this.ensureAlive();
    if (memory !== null) throw new Error(`WebGPU out of memory: ${memory.message}`);
    if (validation !== null) throw new Error(`WebGPU validation error: ${validation.message}`);
    return result;
  }

  /** Destroys the pool and the device. Idempotent. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.trim();
    for (const b of this.#live) b.destroy();
    this.#live.clear();
    this.#liveBytes = 0;
    this.#pipelines.clear();
    this.device.destroy();
  }
}

/** Usage of storage buffers the kernels read and write. */
export const STORAGE = 0x80 | 0x08 | 0x04; // STORAGE | COPY_DST | COPY_SRC

/** Buffers and helpers of one operation; everything acquired is released at its end. */
export class GpuScope {
  readonly #ctx: GpuContext;
  readonly #buffers: GPUBuffer[] = [];

  constructor(ctx: GpuContext) {
    this.#ctx = ctx;
  }

  /** The context. */
  get ctx(): GpuContext {
    return this.#ctx;
  }

  /** A storage buffer of `bytes` bytes (uninitialised unless `zero`). */
  storage(bytes: number, label = "storage"): GPUBuffer {
    const limit = this.#ctx.maxBinding;
    if (bytes > limit) {
      throw new RangeError(
        `${label} needs ${bytes} bytes, more than the device's storage binding limit ${limit}`,
      );
    }
    const b = this.#ctx.acquire(bytes, STORAGE, label);
    this.#buffers.push(b);
    return b;
  }

  /** A storage buffer initialised with `data`. */
  upload(data: ArrayBufferView<ArrayBuffer>, label = "input"): GPUBuffer {
    const b = this.storage(Math.max(16, data.byteLength), label);
    this.#ctx.device.queue.writeBuffer(b, 0, data.buffer, data.byteOffset, data.byteLength);
    return b;
  }

  /** A uniform buffer with `data` (a multiple of 16 bytes is used). */
  uniform(data: ArrayBuffer, label = "params"): GPUBuffer {
    const b = this.#ctx.acquire(
      Math.max(16, Math.ceil(data.byteLength / 16) * 16),
      0x40 | 0x08, // UNIFORM | COPY_DST
      label,
    );
    this.#buffers.push(b);
    this.#ctx.device.queue.writeBuffer(b, 0, data);
    return b;
  }

  /** Encodes one dispatch binding `buffers` to bindings 0, 1, ... of group 0. */
  dispatch(
    encoder: GPUCommandEncoder,
    pipeline: GPUComputePipeline,
    buffers: readonly GPUBuffer[],
    x: number,
    y = 1,
  ): void {
    if (x === 0 || y === 0) return;
    const max = this.#ctx.limits.maxComputeWorkgroupsPerDimension;
    if (x > max || y > max) {
      throw new RangeError(`dispatch of ${x} x ${y} workgroups exceeds the limit ${max}`);
    }
    const bindGroup = this.#ctx.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(x, y);
    pass.end();
  }

  /** Reads `bytes` bytes of a buffer back as f32 (after everything submitted so far). */
  async readF32(buffer: GPUBuffer, count: number): Promise<Float32Array> {
    const bytes = count * 4;
    const staging = this.#ctx.acquire(Math.max(16, bytes), 0x01 | 0x08, "readback"); // MAP_READ | COPY_DST
    this.#buffers.push(staging);
    const encoder = this.#ctx.device.createCommandEncoder();
    encoder.copyBufferToBuffer(buffer, 0, staging, 0, Math.ceil(bytes / 4) * 4);
    this.#ctx.device.queue.submit([encoder.finish()]);
    try {
      await staging.mapAsync(GPUMapMode.READ, 0, Math.ceil(bytes / 4) * 4);
    } catch (error) {
      this.#ctx.ensureAlive();
      throw new Error(`reading a WebGPU buffer failed: ${(error as Error).message}`);
    }
    const out = new Float32Array(staging.getMappedRange(0, Math.ceil(bytes / 4) * 4).slice(0));
    staging.unmap();
    return out.subarray(0, count);
  }

  /** Reads u32 values back. */
  async readU32(buffer: GPUBuffer, count: number): Promise<Uint32Array> {
    const f = await this.readF32(buffer, count);
    return new Uint32Array(f.buffer, f.byteOffset, count);
  }

  /** Releases every buffer of this scope to the pool. */
  releaseAll(): void {
    for (const b of this.#buffers.splice(0)) this.#ctx.release(b);
  }
}
