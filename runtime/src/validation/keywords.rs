//! Helpers that generated validators call for the JSON Schema keywords whose meaning is subtle
//! enough to get wrong when inlined: `type`, `minLength`/`maxLength`, `multipleOf`, `const`/`enum`,
//! `uniqueItems` and the numeric bounds.
//!
//! JSON Schema reasons about numbers by their mathematical value, whereas `serde_json` keeps
//! three representations (`u64`, `i64`, `f64`). Every function here therefore compares across
//! representations exactly, never through a lossy cast, and none of them panics on any input.

use std::cmp::Ordering;
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use serde_json::{Number, Value};

/// The most members an object may have for generated validation to find its listed
/// properties by walking the members once. Matching a key against the listed names costs
/// about as much as comparing two short strings, one hashed lookup (SipHash, with
/// `serde_json`'s `preserve_order`) about as much as 32 of those, so below this width one
/// pass never costs more than a single lookup; above it, keyed lookups keep a body padded
/// with unknown keys from costing validation a pass over all of them.
pub const SHORT_OBJECT_MEMBERS: usize = 32;

/// The values of `names` in `object`, in the order of `names` (`None` where absent).
///
/// A short object is walked once, each key compared with the names; a wider one (a body
/// padded with unknown keys) is looked up by key, so the cost never grows with members the
/// schema does not name. Either way no key is hashed more than once.
pub fn find_properties<'v, const N: usize>(
    object: &'v serde_json::Map<String, Value>,
    names: [&str; N],
) -> [Option<&'v Value>; N] {
    let mut found = [None; N];
    if object.len() <= SHORT_OBJECT_MEMBERS {
        for (key, value) in object {
            if let Some(index) = names.iter().position(|name| *name == key) {
                found[index] = Some(value);
            }
        }
    } else {
        for (slot, name) in found.iter_mut().zip(names) {
            *slot = object.get(name);
        }
    }
    found
}

/// The JSON Schema type name of `value`, as the `type` keyword spells it.
///
/// A number whose value is integral (`1`, `1.0`, `-0.0`, `1e300`) is `"integer"`: JSON Schema
/// defines integers by value, not by how the number was written, so `{"type": "integer"}`
/// accepts `1.0` and an error message should call it an integer too.
pub fn json_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if number_is_integer(n) => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Whether `value` is a JSON Schema `integer`: a number whose mathematical value is an integer.
///
/// `1.0` and `1e300` count (their fractional part is zero); strings such as `"1"` do not.
pub fn is_integer(value: &Value) -> bool {
    matches!(value, Value::Number(n) if number_is_integer(n))
}

fn number_is_integer(n: &Number) -> bool {
    n.is_i64()
        || n.is_u64()
        || n.as_f64()
            .is_some_and(|f| f.is_finite() && f.fract() == 0.0)
}

/// The length of `s` in Unicode code points.
///
/// `minLength` and `maxLength` count code points (JSON Schema 2020-12 §6.3.1), not UTF-8 bytes
/// (`str::len`) nor UTF-16 units: `"😀"` has length 1.
pub fn char_count(s: &str) -> usize {
    s.chars().count()
}

/// Whether `value` is an integer multiple of `divisor` (the `multipleOf` keyword).
///
/// Both numbers are taken as the decimals they were written as (for a float, the shortest
/// decimal that reads back as the same `f64`, which is what a JSON parser recovers from the
/// text), and divisibility is decided exactly on those decimals. Binary floating point would
/// say `0.0075` is not a multiple of `0.0001` and `19.99` not of `0.01`, and dividing `1e308`
/// by a small divisor overflows to infinity; exact decimal arithmetic has neither problem and
/// needs no big integers, because an `f64`'s shortest decimal has at most 17 digits.
///
/// `0` is a multiple of everything. A divisor that is not a positive finite number (a schema
/// error: `multipleOf` must be strictly greater than 0) divides nothing, so the answer is
/// `false` rather than a panic.
pub fn is_multiple_of(value: &Number, divisor: f64) -> bool {
    if !(divisor.is_finite() && divisor > 0.0) {
        return false;
    }
    let Some(value) = Decimal::from_number(value) else {
        return false;
    };
    let Some(divisor) = Decimal::from_f64(divisor) else {
        return false;
    };
    if value.digits == 0 {
        return true;
    }
    if divisor.digits == 0 {
        return false;
    }
    let (m1, e1) = (u128::from(value.digits), value.exponent);
    let (m2, e2) = (u128::from(divisor.digits), divisor.exponent);
    if e1 >= e2 {
        // value / divisor = m1 * 10^(e1 - e2) / m2: an integer iff m2 divides m1 * 10^(e1 - e2).
        let shift = u32::try_from(i64::from(e1) - i64::from(e2)).unwrap_or(u32::MAX);
        mul_mod(m1 % m2, pow10_mod(shift, m2), m2) == 0
    } else {
        // value / divisor = m1 / (m2 * 10^(e2 - e1)): 10^(e2 - e1) must divide m1 first.
        let mut rest = m1;
        for _ in 0..(i64::from(e2) - i64::from(e1)) {
            if rest % 10 != 0 {
                return false;
            }
            rest /= 10;
        }
        rest % m2 == 0
    }
}

/// A non-negative decimal `digits × 10^exponent` with no trailing zeros in `digits` (the sign
/// never matters for divisibility).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Decimal {
    digits: u64,
    exponent: i32,
}

impl Decimal {
    fn from_number(n: &Number) -> Option<Decimal> {
        if let Some(u) = n.as_u64() {
            Some(Decimal::normalized(u, 0))
        } else if let Some(i) = n.as_i64() {
            Some(Decimal::normalized(i.unsigned_abs(), 0))
        } else {
            Decimal::from_f64(n.as_f64()?)
        }
    }

    /// The shortest decimal that round-trips to `f` (what Rust's `{:e}` prints).
    fn from_f64(f: f64) -> Option<Decimal> {
        if !f.is_finite() {
            return None;
        }
        let text = format!("{:e}", f.abs());
        let (mantissa, exponent) = text.split_once('e')?;
        let mut exponent: i32 = exponent.parse().ok()?;
        let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let mut digits: u64 = 0;
        for b in whole.bytes().chain(fraction.bytes()) {
            digits = digits
                .checked_mul(10)?
                .checked_add(u64::from(b.checked_sub(b'0')?))?;
        }
        exponent -= i32::try_from(fraction.len()).ok()?;
        Some(Decimal::normalized(digits, exponent))
    }

    fn normalized(mut digits: u64, mut exponent: i32) -> Decimal {
        if digits == 0 {
            return Decimal {
                digits: 0,
                exponent: 0,
            };
        }
        while digits.is_multiple_of(10) {
            digits /= 10;
            exponent += 1;
        }
        Decimal { digits, exponent }
    }
}

/// `a * b % m` for `a, b < m < 2^64`, which cannot overflow `u128`.
fn mul_mod(a: u128, b: u128, m: u128) -> u128 {
    a * b % m
}

/// `10^exp % m` by square-and-multiply, for `0 < m < 2^64`.
fn pow10_mod(mut exp: u32, m: u128) -> u128 {
    let mut result = 1 % m;
    let mut base = 10 % m;
    while exp > 0 {
        if exp & 1 == 1 {
            result = mul_mod(result, base, m);
        }
        base = mul_mod(base, base, m);
        exp >>= 1;
    }
    result
}

/// JSON Schema equality (used by `const`, `enum` and `uniqueItems`).
///
/// Numbers are equal when their mathematical values are (`1 == 1.0`, `-0.0 == 0`), compared
/// exactly even between a large `u64` and an `f64`; objects are equal when they have the same
/// keys with equal values, whatever the order; arrays are equal item by item.
///
/// The walk keeps its own stack instead of recursing, so an arbitrarily deep value built in
/// code cannot overflow the thread's stack.
pub fn json_equal(a: &Value, b: &Value) -> bool {
    let mut pending = vec![(a, b)];
    while let Some((a, b)) = pending.pop() {
        match (a, b) {
            (Value::Null, Value::Null) => {}
            (Value::Bool(x), Value::Bool(y)) if x == y => {}
            (Value::String(x), Value::String(y)) if x == y => {}
            (Value::Number(x), Value::Number(y)) if numbers_equal(x, y) => {}
            (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
                pending.extend(x.iter().zip(y.iter()));
            }
            (Value::Object(x), Value::Object(y)) if x.len() == y.len() => {
                for (key, x_value) in x {
                    match y.get(key) {
                        Some(y_value) => pending.push((x_value, y_value)),
                        None => return false,
                    }
                }
            }
            _ => return false,
        }
    }
    true
}

/// A number as the comparisons below see it: an exact integer when `serde_json` stored one.
#[derive(Debug, Clone, Copy)]
enum Num {
    Int(i128),
    Float(f64),
}

fn num(n: &Number) -> Num {
    if let Some(u) = n.as_u64() {
        Num::Int(i128::from(u))
    } else if let Some(i) = n.as_i64() {
        Num::Int(i128::from(i))
    } else {
        // Without serde_json's `arbitrary_precision` every other number is an f64; with it, a
        // number too large for f64 reads as infinite, which still orders correctly.
        Num::Float(n.as_f64().unwrap_or(f64::NAN))
    }
}

fn numbers_equal(a: &Number, b: &Number) -> bool {
    match (num(a), num(b)) {
        (Num::Int(x), Num::Int(y)) => x == y,
        (Num::Int(x), Num::Float(y)) | (Num::Float(y), Num::Int(x)) => {
            cmp_int_float(x, y) == Ordering::Equal
        }
        (Num::Float(x), Num::Float(y)) => x == y,
    }
}

/// Orders `value` against a schema bound (`minimum`, `maximum`, `exclusiveMinimum`,
/// `exclusiveMaximum`).
///
/// Exact for every pair: `u64::MAX` against `1.8446744073709552e19` (which is `2^64`) is
/// `Less`, where casting to `f64` would round the value up and say `Equal`. `-0.0` equals `0`.
/// JSON has no NaN, so a NaN bound can only come from a broken schema; it is ordered above
/// every value (`Less`) so that the answer is at least deterministic.
pub fn compare_number(value: &Number, bound: f64) -> Ordering {
    match num(value) {
        Num::Int(v) => cmp_int_float(v, bound),
        Num::Float(v) => v.partial_cmp(&bound).unwrap_or(Ordering::Less),
    }
}

/// Exact comparison of an integer with an `f64` (NaN is treated as greater than everything).
fn cmp_int_float(int: i128, float: f64) -> Ordering {
    // 2^127 is exactly representable; every finite f64 strictly inside ±2^127 has a floor that
    // fits in i128 exactly, so the cast below is lossless.
    const LIMIT: f64 = 170_141_183_460_469_231_731_687_303_715_884_105_728.0;
    if float.is_nan() || float >= LIMIT {
        return Ordering::Less;
    }
    if float < -LIMIT {
        return Ordering::Greater;
    }
    let floor = float.floor();
    // Lossless: `floor` is integral and inside the i128 range (checked above).
    #[allow(clippy::cast_possible_truncation)]
    let floor_int = floor as i128;
    match int.cmp(&floor_int) {
        Ordering::Equal if float > floor => Ordering::Less,
        order => order,
    }
}

/// The first repeated item of `items` under [`json_equal`], as `(earlier, later)` indices: `later`
/// is the smallest index whose item equals some earlier item, and `earlier` the first such
/// item. `None` when all items are distinct (what `uniqueItems: true` requires).
///
/// Each item is hashed in a canonical form that agrees with [`json_equal`] (numbers by value,
/// object members in any order), and only items whose hashes collide are compared, so 10,000
/// distinct items cost 10,000 hashes, not 50 million comparisons.
pub fn first_duplicate(items: &[Value]) -> Option<(usize, usize)> {
    let mut seen: HashMap<u64, Vec<usize>> = HashMap::with_capacity(items.len());
    for (later, item) in items.iter().enumerate() {
        let bucket = seen.entry(canonical_hash(item)).or_default();
        if let Some(&earlier) = bucket
            .iter()
            .find(|&&earlier| items.get(earlier).is_some_and(|e| json_equal(e, item)))
        {
            return Some((earlier, later));
        }
        bucket.push(later);
    }
    None
}

/// Below this depth, values hash to a constant: hashing stays bounded in stack use, and equal
/// values still hash equally (only the spread of very deep values suffers).
const HASH_DEPTH_LIMIT: usize = 64;

fn canonical_hash(value: &Value) -> u64 {
    let mut hasher = DefaultHasher::new();
    hash_value(value, 0, &mut hasher);
    hasher.finish()
}

fn hash_value(value: &Value, depth: usize, state: &mut DefaultHasher) {
    if depth >= HASH_DEPTH_LIMIT {
        0xdee9_u16.hash(state);
        return;
    }
    match value {
        Value::Null => 0u8.hash(state),
        Value::Bool(b) => {
            1u8.hash(state);
            b.hash(state);
        }
        Value::Number(n) => {
            2u8.hash(state);
            match num(n) {
                Num::Int(i) => i.hash(state),
                Num::Float(f) => {
                    let limit = 170_141_183_460_469_231_731_687_303_715_884_105_728.0_f64;
                    if f.fract() == 0.0 && f.abs() < limit {
                        // Integral floats hash like the integer they equal (`1.0` like `1`;
                        // `-0.0` like `0`).
                        #[allow(clippy::cast_possible_truncation)]
                        (f as i128).hash(state);
                    } else {
                        f.to_bits().hash(state);
                    }
                }
            }
        }
        Value::String(s) => {
            3u8.hash(state);
            s.hash(state);
        }
        Value::Array(items) => {
            4u8.hash(state);
            items.len().hash(state);
            for item in items {
                hash_value(item, depth + 1, state);
            }
        }
        Value::Object(members) => {
            5u8.hash(state);
            members.len().hash(state);
            // Member order must not matter: hash each member on its own and add the results.
            let mut sum: u64 = 0;
            for (key, member) in members {
                let mut member_state = DefaultHasher::new();
                key.hash(&mut member_state);
                hash_value(member, depth + 1, &mut member_state);
                sum = sum.wrapping_add(member_state.finish());
            }
            sum.hash(state);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn find_properties_answers_alike_for_short_and_wide_objects() {
        let mut object = serde_json::Map::new();
        object.insert("b".to_owned(), Value::from(2));
        object.insert("a".to_owned(), Value::from(1));
        let (one, two) = (Value::from(1), Value::from(2));
        let expected = [Some(&one), None, Some(&two)];
        assert_eq!(find_properties(&object, ["a", "missing", "b"]), expected);
        for index in 0..SHORT_OBJECT_MEMBERS {
            object.insert(format!("unknown{index}"), Value::Null);
        }
        assert!(object.len() > SHORT_OBJECT_MEMBERS);
        assert_eq!(find_properties(&object, ["a", "missing", "b"]), expected);
    }

    use super::*;
    use serde_json::json;

    fn n(v: Value) -> Number {
        match v {
            Value::Number(n) => n,
            other => panic!("not a number: {other}"),
        }
    }

    #[test]
    fn type_names() {
        assert_eq!(json_type_name(&json!(null)), "null");
        assert_eq!(json_type_name(&json!(true)), "boolean");
        assert_eq!(json_type_name(&json!(1)), "integer");
        assert_eq!(json_type_name(&json!(-1)), "integer");
        assert_eq!(json_type_name(&json!(u64::MAX)), "integer");
        assert_eq!(json_type_name(&json!(1.0)), "integer");
        assert_eq!(json_type_name(&json!(-0.0)), "integer");
        assert_eq!(json_type_name(&json!(1e300)), "integer");
        assert_eq!(json_type_name(&json!(1.5)), "number");
        assert_eq!(json_type_name(&json!("1")), "string");
        assert_eq!(json_type_name(&json!([])), "array");
        assert_eq!(json_type_name(&json!({})), "object");
    }

    #[test]
    fn integers_by_value() {
        assert!(is_integer(&json!(0)));
        assert!(is_integer(&json!(i64::MIN)));
        assert!(is_integer(&json!(u64::MAX)));
        assert!(is_integer(&json!(1.0)));
        assert!(is_integer(&json!(1e300)));
        assert!(is_integer(&json!(f64::MAX)));
        assert!(!is_integer(&json!(0.5)));
        assert!(!is_integer(&json!(1e-300)));
        assert!(!is_integer(&json!("1")));
        assert!(!is_integer(&json!(null)));
        // Parsed from text, as a validator sees it.
        let parsed: Value = serde_json::from_str("[1.0, 1e300, 2.5]").expect("valid JSON");
        let flags: Vec<bool> = parsed
            .as_array()
            .map(|a| a.iter().map(is_integer).collect())
            .unwrap_or_default();
        assert_eq!(flags, [true, true, false]);
    }

    #[test]
    fn code_points_not_bytes() {
        assert_eq!(char_count(""), 0);
        assert_eq!(char_count("abc"), 3);
        assert_eq!(char_count("é"), 1);
        assert_eq!(char_count("e\u{301}"), 2);
        assert_eq!(char_count("😀"), 1);
        assert_eq!(char_count("日本語"), 3);
    }

    #[test]
    fn multiple_of_integers_is_exact() {
        assert!(is_multiple_of(&n(json!(10)), 2.0));
        assert!(!is_multiple_of(&n(json!(7)), 2.0));
        assert!(is_multiple_of(&n(json!(0)), 7.0));
        assert!(is_multiple_of(&n(json!(-4)), 2.0));
        assert!(is_multiple_of(&n(json!(i64::MIN)), 2.0));
        assert!(!is_multiple_of(&n(json!(u64::MAX)), 2.0));
        assert!(is_multiple_of(&n(json!(u64::MAX)), 5.0));
        assert!(is_multiple_of(&n(json!(u64::MAX)), 3.0));
        // 2^64 - 2 is a multiple of 2; as f64 it would round to 2^64.
        assert!(is_multiple_of(&n(json!(u64::MAX - 1)), 2.0));
        assert!(!is_multiple_of(&n(json!(u64::MAX - 1)), 4.0));
        assert!(!is_multiple_of(&n(json!(9_007_199_254_740_993_u64)), 2.0));
        assert!(is_multiple_of(&n(json!(12_391_239_123_u64)), 1e-8));
        assert!(!is_multiple_of(&n(json!(3)), 1e20));
        assert!(is_multiple_of(&n(json!(0)), 1e20));
    }

    #[test]
    fn multiple_of_decimals_is_exact() {
        assert!(is_multiple_of(&n(json!(0.0075)), 0.0001));
        assert!(!is_multiple_of(&n(json!(0.00751)), 0.0001));
        assert!(is_multiple_of(&n(json!(19.99)), 0.01));
        assert!(is_multiple_of(&n(json!(4.5)), 1.5));
        assert!(is_multiple_of(&n(json!(-4.5)), 1.5));
        assert!(!is_multiple_of(&n(json!(35)), 1.5));
        assert!(is_multiple_of(&n(json!(0.3)), 0.1));
        assert!(is_multiple_of(&n(json!(1.1)), 0.1));
        assert!(!is_multiple_of(&n(json!(1.15)), 0.1));
        assert!(is_multiple_of(&n(json!(1.0)), 0.5));
        assert!(is_multiple_of(&n(json!(5e-324)), 5e-324));
        assert!(is_multiple_of(&n(json!(1e-300)), 1e-301));
        assert!(!is_multiple_of(&n(json!(1e-301)), 1e-300));
    }

    #[test]
    fn multiple_of_huge_values_does_not_overflow() {
        // The suite's "float division = inf" case: 1e308 / 0.123456789 overflows an f64.
        assert!(!is_multiple_of(&n(json!(1e308)), 0.123_456_789));
        assert!(is_multiple_of(&n(json!(1e308)), 0.5));
        assert!(is_multiple_of(&n(json!(f64::MAX)), 1.0));
        assert!(is_multiple_of(&n(json!(1e308)), 1e-300));
        assert!(!is_multiple_of(&n(json!(1e308)), 3.0));
    }

    #[test]
    fn multiple_of_bad_divisors_is_false() {
        for divisor in [0.0, -0.0, -2.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(!is_multiple_of(&n(json!(4)), divisor), "{divisor}");
            assert!(!is_multiple_of(&n(json!(0)), divisor), "{divisor}");
        }
    }

    #[test]
    fn decimals_from_floats() {
        let d = |f: f64| Decimal::from_f64(f).map(|d| (d.digits, d.exponent));
        assert_eq!(d(0.0075), Some((75, -4)));
        assert_eq!(d(1e308), Some((1, 308)));
        assert_eq!(d(19.99), Some((1999, -2)));
        assert_eq!(d(100.0), Some((1, 2)));
        assert_eq!(d(0.0), Some((0, 0)));
        assert_eq!(d(-2.5), Some((25, -1)));
        assert_eq!(d(f64::NAN), None);
        assert_eq!(d(f64::INFINITY), None);
    }

    #[test]
    fn equality_by_value() {
        assert!(json_equal(&json!(1), &json!(1.0)));
        assert!(json_equal(&json!(0), &json!(-0.0)));
        assert!(json_equal(&json!(-1), &json!(-1.0)));
        assert!(!json_equal(&json!(1), &json!(1.5)));
        assert!(!json_equal(&json!(1), &json!(true)));
        assert!(!json_equal(&json!(0), &json!(false)));
        assert!(!json_equal(&json!(null), &json!(0)));
        assert!(!json_equal(&json!("1"), &json!(1)));
        // u64::MAX is not 2^64, though both cast to the same f64.
        assert!(!json_equal(
            &json!(u64::MAX),
            &json!(18_446_744_073_709_551_616.0)
        ));
        assert!(json_equal(
            &json!(9_007_199_254_740_992_u64),
            &json!(9_007_199_254_740_992.0)
        ));
        assert!(!json_equal(
            &json!(9_007_199_254_740_993_u64),
            &json!(9_007_199_254_740_992.0)
        ));
    }

    #[test]
    fn equality_of_containers() {
        assert!(json_equal(
            &json!({"a": 1, "b": [1, 2]}),
            &json!({"b": [1.0, 2], "a": 1.0})
        ));
        assert!(!json_equal(&json!({"a": 1}), &json!({"a": 1, "b": 2})));
        assert!(!json_equal(&json!({"a": 1, "b": 2}), &json!({"a": 1})));
        assert!(!json_equal(&json!({"a": 1}), &json!({"b": 1})));
        assert!(json_equal(
            &json!([1, [2, {"x": null}]]),
            &json!([1, [2, {"x": null}]])
        ));
        assert!(!json_equal(&json!([1, 2]), &json!([2, 1])));
        assert!(!json_equal(&json!([1]), &json!([1, 1])));
        assert!(!json_equal(&json!([]), &json!({})));
        assert!(json_equal(&json!([]), &json!([])));
    }

    #[test]
    fn equality_of_very_deep_values_does_not_recurse() {
        let mut a = json!(1);
        let mut b = json!(1.0);
        for _ in 0..100_000 {
            a = Value::Array(vec![a]);
            b = Value::Array(vec![b]);
        }
        assert!(json_equal(&a, &b));
        let items = vec![a, b];
        assert_eq!(first_duplicate(&items), Some((0, 1)));
        // serde_json clones and drops nested values recursively; unwind them by hand so the
        // test itself does not overflow the stack.
        for mut v in items {
            while let Value::Array(mut items) = v {
                v = items.pop().unwrap_or(Value::Null);
            }
        }
    }

    #[test]
    fn ordering_against_bounds() {
        assert_eq!(compare_number(&n(json!(5)), 5.0), Ordering::Equal);
        assert_eq!(compare_number(&n(json!(5)), 5.5), Ordering::Less);
        assert_eq!(compare_number(&n(json!(6)), 5.5), Ordering::Greater);
        assert_eq!(compare_number(&n(json!(-6)), -5.5), Ordering::Less);
        assert_eq!(compare_number(&n(json!(-5)), -5.5), Ordering::Greater);
        assert_eq!(compare_number(&n(json!(5.5)), 5.5), Ordering::Equal);
        assert_eq!(compare_number(&n(json!(-0.0)), 0.0), Ordering::Equal);
        assert_eq!(compare_number(&n(json!(0)), -0.0), Ordering::Equal);
        // Exact where a cast to f64 would round.
        assert_eq!(
            compare_number(&n(json!(u64::MAX)), 18_446_744_073_709_551_616.0),
            Ordering::Less
        );
        assert_eq!(
            compare_number(
                &n(json!(9_007_199_254_740_993_u64)),
                9_007_199_254_740_992.0
            ),
            Ordering::Greater
        );
        assert_eq!(
            compare_number(&n(json!(i64::MIN)), -9_223_372_036_854_775_808.0),
            Ordering::Equal
        );
        assert_eq!(
            compare_number(&n(json!(i64::MIN + 1)), -9_223_372_036_854_775_808.0),
            Ordering::Greater
        );
        assert_eq!(compare_number(&n(json!(u64::MAX)), 1e300), Ordering::Less);
        assert_eq!(
            compare_number(&n(json!(i64::MIN)), -1e300),
            Ordering::Greater
        );
        assert_eq!(compare_number(&n(json!(0)), f64::INFINITY), Ordering::Less);
        assert_eq!(
            compare_number(&n(json!(0)), f64::NEG_INFINITY),
            Ordering::Greater
        );
        assert_eq!(compare_number(&n(json!(1e308)), f64::MAX), Ordering::Less);
        // Never panics, even on a bound JSON cannot express.
        assert_eq!(compare_number(&n(json!(1)), f64::NAN), Ordering::Less);
        assert_eq!(compare_number(&n(json!(1.5)), f64::NAN), Ordering::Less);
    }

    #[test]
    fn duplicates() {
        assert_eq!(first_duplicate(&[]), None);
        assert_eq!(first_duplicate(&[json!(1)]), None);
        assert_eq!(first_duplicate(&[json!(1), json!(2)]), None);
        assert_eq!(first_duplicate(&[json!(1), json!(1.0)]), Some((0, 1)));
        assert_eq!(first_duplicate(&[json!(0), json!(-0.0)]), Some((0, 1)));
        assert_eq!(
            first_duplicate(&[json!("a"), json!(1), json!(true), json!(1)]),
            Some((1, 3))
        );
        // The earliest repeat wins: index 2 repeats index 1 before index 3 repeats index 0.
        assert_eq!(
            first_duplicate(&[json!("x"), json!("y"), json!("y"), json!("x")]),
            Some((1, 2))
        );
        assert_eq!(
            first_duplicate(&[json!({"a": 1, "b": 2}), json!({"b": 2.0, "a": 1})]),
            Some((0, 1))
        );
        assert_eq!(first_duplicate(&[json!([1, 2]), json!([2, 1])]), None);
        assert_eq!(first_duplicate(&[json!(false), json!(0)]), None);
        assert_eq!(first_duplicate(&[json!(null), json!(false)]), None);
        assert_eq!(first_duplicate(&[json!([1]), json!(1)]), None);
        assert_eq!(first_duplicate(&[json!({}), json!([])]), None);
        assert_eq!(first_duplicate(&[json!(1e300), json!(1e300)]), Some((0, 1)));
        assert_eq!(first_duplicate(&[json!(0.5), json!(0.25)]), None);
        assert_eq!(
            first_duplicate(&[json!(u64::MAX), json!(18_446_744_073_709_551_616.0)]),
            None
        );
    }

    #[test]
    fn duplicates_scale_linearly() {
        let strings: Vec<Value> = (0..10_000).map(|i| json!(format!("item-{i}"))).collect();
        let ints: Vec<Value> = (0..10_000).map(|i| json!(i)).collect();
        let objects: Vec<Value> = (0..10_000).map(|i| json!({"id": i, "k": [i]})).collect();
        let started = std::time::Instant::now();
        assert_eq!(first_duplicate(&strings), None);
        assert_eq!(first_duplicate(&ints), None);
        assert_eq!(first_duplicate(&objects), None);
        let mut with_repeat = ints.clone();
        with_repeat.push(json!(9_999.0));
        assert_eq!(first_duplicate(&with_repeat), Some((9_999, 10_000)));
        // Pairwise comparison would be ~150 million comparisons; hashing is milliseconds.
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }
}
