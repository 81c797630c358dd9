import { describe, expect, it } from 'vitest';
import { calculate } from '../../../src/tools/calculator/calculate.js';
import { catchError } from '../catch-error.js';

describe('calculate', () => {
  it.each([
    ['12*(3+4)', 84],
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 4 - 3', 3],
    ['100 / 10 / 5', 2],
    ['10 % 3', 1],
    ['-7 % 3', -1],
    ['2^3^2', 512],
    ['2**3**2', 512],
    ['2 ** 10', 1024],
    ['-2^2', -4],
    ['(-2)^2', 4],
    ['2^-1', 0.5],
    ['-(-(-3))', -3],
    ['+5 - -5', 10],
    ['0.1 + 0.2', 0.3],
    ['.5 + 5.', 5.5],
    ['1e3', 1000],
    ['1.5E-3 * 2', 0.003],
    ['2.5e+2', 250],
    ['pi', 3.14159265359],
    ['PI * 2 - tau', 0],
    ['e', 2.71828182846],
    ['π', 3.14159265359],
    ['sqrt(16) + cbrt(27)', 7],
    ['abs(-3.5)', 3.5],
    ['round(2.5)', 3],
    ['round(2.345, 2)', 2.35],
    ['floor(-1.5) + ceil(1.2)', 0],
    ['exp(0)', 1],
    ['ln(e^2)', 2],
    ['log(1000)', 3],
    ['log(8, 2)', 3],
    ['log2(1024)', 10],
    ['sin(pi)', 0],
    ['sin(pi/6)', 0.5],
    ['cos(pi)', -1],
    ['tan(pi/4)', 1],
    ['asin(1) * 2', 3.14159265359],
    ['acos(1)', 0],
    ['atan(1) * 4', 3.14159265359],
    ['min(3, 1, 2)', 1],
    ['max(3, 1, 2, 10)', 10],
    ['5!', 120],
    ['0!', 1],
    ['(3!)!', 720],
    ['fact(10)', 3628800],
    ['2 * 3!', 12],
    ['15% of 80', 12],
    ['50%', 0.5],
    ['6 × 7', 42],
    ['84 ÷ 2', 42],
    ['√9', 3],
    ['√(9 + 16)', 5],
    ['2 * √4', 4],
    ['10 − 3', 7],
    ['1,000 + 1', 1001],
    ['1,000,000 / 1,000', 1000],
    ['(1,500)', 1500],
    ['170! / 170!', 1],
    ['9^9', 387420489],
    ['2^0.5 * 2^0.5', 2],
  ])('evaluates %s to %d', (expression, expected) => {
    expect(calculate(expression)).toBe(expected);
  });

  it('reads commas inside a function call as argument separators, not thousands', () => {
    expect(calculate('max(1,000)')).toBe(1);
  });

  it('rounds to 12 significant digits and never answers -0', () => {
    expect(calculate('1/3')).toBe(0.333333333333);
    expect(calculate('-0')).toBe(0);
    expect(Object.is(calculate('-0 * 5'), 0)).toBe(true);
  });

  it.each([
    ['', 'the expression is empty'],
    ['   ', 'the expression is empty'],
    ['(1 + 2', "missing ')' to close the '(' at position 1"],
    ['(1 + 2))', "unexpected ')' at position 8"],
    ['1 + ) 2', "unexpected ')' at position 5"],
    ['2 +', "the expression ends too early, after '+' at position 3"],
    ['2(3)', "missing operator between '2' and '(' at position 2; write '*' between them to multiply"],
    ['(2)(3)', "missing operator between ')' and '(' at position 4; write '*' between them to multiply"],
    ['2pi', "missing operator between '2' and 'pi' at position 2; write '*' between them to multiply"],
    ['1 2', "missing operator between '1' and '2' at position 3; write '*' between them to multiply"],
    ['1/0', 'division by zero at position 2'],
    ['5 % (2 - 2)', 'modulo by zero at position 3'],
    ['0^-1', '0 to a negative power is a division by zero, at position 2'],
    ['9^9^9^9', "the result is not a finite number (it overflows at '^' at position 4)"],
    ['10^400', "the result is not a finite number (it overflows at '^' at position 3)"],
    ['exp(1000)', 'the result is not a finite number (it overflows at exp at position 1)'],
    ['1e999', 'the number 1e999 at position 1 is too large'],
    ['200!', 'factorial is defined here for whole numbers from 0 to 170, got 200, at position 4'],
    ['2.5!', 'factorial is defined here for whole numbers from 0 to 170, got 2.5, at position 4'],
    ['(3!)!!', "'!!' at position 5 is not supported; write (n!)! for the factorial of a factorial"],
    ['((3!)!)!', 'factorial is defined here for whole numbers from 0 to 170, got 720, at position 8'],
    ['sqrt(-1)', 'sqrt of a negative number (-1) is not a real number, at position 1'],
    ['(-8)^(1/3)', 'a negative number to a fractional power is not a real number, at position 5; use cbrt for cube roots'],
    ['ln(0)', 'ln needs a number greater than 0, got 0, at position 1'],
    ['log(10, 1)', 'log needs a base greater than 0 and other than 1, got 1, at position 1'],
    ['asin(2)', 'asin needs a number from -1 to 1, got 2, at position 1'],
    ['tan(pi/2)', 'tan is undefined at odd multiples of pi/2, got 1.5707963267948966, at position 1'],
    ['round(1.5, 20)', 'round takes a whole number of decimals from 0 to 12, got 20, at position 1'],
    ['sqrt(1, 2)', 'sqrt at position 1 takes 1 argument, got 2'],
    ['max()', 'max at position 1 takes at least 1 argument, got 0'],
    ['sqrt 9', 'sqrt at position 1 needs parentheses, as in sqrt(2)'],
    ['1..2', "unexpected '.' at position 3: a number has at most one decimal point"],
    ['1 = 1', "unexpected character '=' at position 3"],
    ['1 + # 2', "unexpected character '#' at position 5"],
  ])('refuses %j with a message that says why and where', (expression, message) => {
    const error = catchError(() => calculate(expression));
    expect({ code: error.code, message: error.message }).toStrictEqual({ code: 'tool_error', message });
  });

  it('names the unknown word and lists what it knows', () => {
    const error = catchError(() => calculate('2 * foo'));
    expect(error.message).toMatch(/^unknown name 'foo' at position 5; known constants: pi, e, tau, and functions: sqrt, /);
    expect(catchError(() => calculate('bar(2)')).message).toMatch(/^unknown function 'bar' at position 1; known functions: sqrt, /);
  });
});
