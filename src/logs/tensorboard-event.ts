/**
 * The scalars of one TensorBoard `Event` protobuf. The schema below is the part of TensorBoard's
 * published protos that scalars use (tensorflow/tensorboard, tensorboard/compat/proto/event.proto,
 * summary.proto, tensor.proto, tensor_shape.proto; same field numbers and types, nested messages
 * declared flat, which the wire format does not see), decoded by protobufjs' reflection, so no
 * generated code is kept. A scalar is a `simple_value` (TF 1, PyTorch's SummaryWriter) or a
 * tensor of one float, double, half or bfloat16 value (tf.summary in TF 2, SummaryWriter with
 * new_style=True).
 *
 * The schema is edition 2023 (proto3 with explicit presence) and its oneofs are declared as the
 * fields they hold, which the wire format does not see either: protobufjs keeps a oneof by deleting
 * the other members' properties each time one is set, and a proto3 field by deleting it when it
 * decodes as zero; those deletes took a tenth of reading a million events.
 */
import protobuf from 'protobufjs';
import { DataError } from '../errors.js';

const SCHEMA = `
edition = "2023";
message Event {
  double wall_time = 1;
  int64 step = 2;
  string file_version = 3;
  Summary summary = 5;
}
message Summary { repeated Value value = 1; }
message Value {
  string tag = 1;
  SummaryMetadata metadata = 9;
  float simple_value = 2;
  TensorProto tensor = 8;
}
message SummaryMetadata { PluginData plugin_data = 1; }
message PluginData { string plugin_name = 1; }
message TensorProto {
  int32 dtype = 1;
  TensorShapeProto tensor_shape = 2;
  bytes tensor_content = 4;
  repeated float float_val = 5;
  repeated double double_val = 6;
  repeated int32 half_val = 13;
}
message TensorShapeProto { repeated Dim dim = 2; }
message Dim { int64 size = 1; }
`;
const EVENT = protobuf.parse(SCHEMA, { keepCase: true }).root.lookupType('Event');

/** tensorflow's DataType enum (types.proto): the dtypes a scalar summary is written in. */
const DT_FLOAT = 1;
const DT_DOUBLE = 2;
const DT_BFLOAT16 = 14;
const DT_HALF = 19;

/** An int64 as protobufjs decodes it: a Long (from the `long` package) or, without it, a number. */
type Int64 = number | { toNumber(): number };

/** The decoded messages, as far as they are read here; absent fields read as their proto3 defaults. */
interface TensorMessage {
  dtype: number;
  tensor_shape: { dim: { size: Int64 }[] } | null;
  tensor_content: Uint8Array;
  float_val: number[];
  double_val: number[];
  half_val: number[];
}

interface ValueMessage {
  tag: string;
  metadata: { plugin_data: { plugin_name: string } | null } | null;
  /** TensorBoard's oneof `value`: an own property when the event holds it (the prototype holds defaults). */
  simple_value: number;
  tensor: TensorMessage | null;
}

interface EventMessage {
  wall_time: number;
  step: Int64;
  summary: { value: ValueMessage[] } | null;
}

/**
 * Hands each scalar of the event in `data` to `visit`; `shown` and `offset` name its record in
 * messages. The decoded message is read as it is, without toObject: that copy doubled the time of
 * a million-record file.
 */
export function eachEventScalar(
  data: Uint8Array,
  shown: string,
  offset: number,
  visit: (tag: string, step: number, wallTime: number, value: number) => void,
): void {
  let event: EventMessage;
  try {
    event = EVENT.decode(data) as unknown as EventMessage;
  } catch (error) {
    throw new DataError(
      `${shown}: at byte ${offset}, the record is not a TensorBoard Event protobuf (${(error as Error).message}).`,
    );
  }
  if (event.summary === null) return;
  const step = int64(event.step);
  for (const value of event.summary.value) {
    const scalar = scalarOf(value);
    if (scalar !== undefined) visit(value.tag, step, event.wall_time, scalar);
  }
}

function int64(value: Int64): number {
  return typeof value === 'number' ? value : value.toNumber();
}

function scalarOf(value: ValueMessage): number | undefined {
  if (Object.hasOwn(value, 'simple_value')) return value.simple_value;
  const plugin = value.metadata?.plugin_data?.plugin_name ?? '';
  // Other plugins' tensors (text, histograms, images) are not scalars, whatever their shape.
  if (value.tensor === null || (plugin !== '' && plugin !== 'scalars')) return undefined;
  return tensorScalar(value.tensor);
}

/** A tensor's only value when it holds exactly one float; undefined otherwise. */
function tensorScalar(tensor: TensorMessage): number | undefined {
  if ((tensor.tensor_shape?.dim ?? []).some((dim) => int64(dim.size) !== 1)) return undefined;
  const bytes = tensor.tensor_content;
  // An absent bytes field decodes as protobufjs' shared empty array, not a Uint8Array.
  const content = bytes.length === 0 ? undefined : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  switch (tensor.dtype) {
    case DT_FLOAT:
      return content?.length === 4 ? content.readFloatLE(0) : only(tensor.float_val);
    case DT_DOUBLE:
      return content?.length === 8 ? content.readDoubleLE(0) : only(tensor.double_val);
    case DT_HALF:
    case DT_BFLOAT16: {
      const bits = content?.length === 2 ? content.readUInt16LE(0) : only(tensor.half_val);
      if (bits === undefined) return undefined;
      return tensor.dtype === DT_HALF ? halfToNumber(bits) : bfloat16ToNumber(bits);
    }
    default:
      return undefined;
  }
}

function only(values: readonly number[] | undefined): number | undefined {
  return values?.length === 1 ? values[0] : undefined;
}

/**
 * IEEE 754 binary16 (Node 20 has no Float16Array): 10 fraction bits, exponent bias 15; a zero
 * exponent is subnormal, the top one infinity or NaN.
 */
export function halfToNumber(bits: number): number {
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  const magnitude =
    exponent === 0x1f
      ? fraction === 0
        ? Number.POSITIVE_INFINITY
        : Number.NaN
      : (exponent === 0 ? fraction : 1024 + fraction) * 2 ** (Math.max(exponent, 1) - 25);
  return bits & 0x8000 ? -magnitude : magnitude;
}

/** bfloat16 is the top half of a float32. */
function bfloat16ToNumber(bits: number): number {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32LE((bits << 16) >>> 0);
  return buffer.readFloatLE(0);
}
