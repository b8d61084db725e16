//! Finds libpodalloc: PODALLOC_LIB_DIR when set (a build tree or an install's lib folder,
//! also recorded as the binaries' run path), else `pkg-config --libs podalloc`, else the
//! system's default library path.
use std::env;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=PODALLOC_LIB_DIR");
    println!("cargo:rerun-if-env-changed=PKG_CONFIG_PATH");
    if let Ok(dir) = env::var("PODALLOC_LIB_DIR") {
        println!("cargo:rustc-link-search=native={}", dir);
        println!("cargo:rustc-link-arg=-Wl,-rpath,{}", dir);
    } else if let Ok(out) = Command::new("pkg-config")
        .args(["--libs-only-L", "podalloc"])
        .output()
    {
        if out.status.success() {
            for flag in String::from_utf8_lossy(&out.stdout).split_whitespace() {
                if let Some(dir) = flag.strip_prefix("-L") {
                    println!("cargo:rustc-link-search=native={}", dir);
                    println!("cargo:rustc-link-arg=-Wl,-rpath,{}", dir);
                }
            }
        }
    }
    println!("cargo:rustc-link-lib=dylib=podalloc");
}
