//! AFL++ target: the `scenario` body of `refer_sim_fuzz` on each input.
fn main() {
    afl::fuzz!(|data: &[u8]| refer_sim_fuzz::scenario(data));
}
