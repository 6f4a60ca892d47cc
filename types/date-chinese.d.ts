// date-chinese ships types, but its package.json "exports" hides them from "bundler" resolution;
// this declares the part lib/market/lunar.ts uses.
declare module "date-chinese" {
  export class CalendarVietnamese {
    set(cycle: number, year: number, month: number, leap: number, day: number): this;
    toGregorian(gyear?: number): { year: number; month: number; day: number };
  }
}
