//! AFL++ target: the `refer_to` body of `refer_sim_fuzz` on each input.
fn main() {
    afl::fuzz!(|data: &[u8]| refer_sim_fuzz::refer_to(data));
}
