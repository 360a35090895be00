/**
 * A logged number printed as a PyTorch scalar tensor: a script that appends `loss` instead of
 * `loss.item()` and writes the list with `csv.writer` or pandas stores each value's repr,
 * `tensor(3.1304, device='cuda:0', grad_fn=<DivBackward0>)`. Three of the 650 bench logs hold such
 * cells (475, 600, 652; 600's loss columns, the others' metrics), and public notes and scripts undo
 * it by hand (`.replace("tensor(", "")`). The tensor's value is the number; its device and autograd
 * fields are not.
 */

/** `tensor(` a value, then `, name=value` fields (device, dtype, grad_fn, requires_grad), then `)`: a 0-d tensor's repr only. */
const SCALAR_TENSOR = /^tensor\(\s*([^,()[\]\s]+)\s*(?:,\s*\w+=[^,()]*)*\)$/;

/** The value text inside a printed 0-d tensor (`"3.1304"`, `"nan"`), or undefined for any other text. */
export function tensorValue(cell: string): string | undefined {
  return SCALAR_TENSOR.exec(cell.trim())?.[1];
}
