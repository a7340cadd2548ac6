// Interrupt wiring between devices and interrupt controllers. A device holds an IrqLine and sets
// its level; the board decides what the line is connected to (a PLIC source, a hart's mip bit).

/** A level-triggered interrupt line. */
export interface IrqLine {
  set(level: boolean): void;
}

/** A line connected to nothing, for devices used without an interrupt controller (tests). */
export const NO_IRQ: IrqLine = { set: () => {} };
