//! One module per focused schema under `schemas/`, generated at build time (see build.rs).

pub mod all_of_merge {
    include!(concat!(env!("OUT_DIR"), "/all_of_merge.rs"));
}

pub mod array_constraints {
    include!(concat!(env!("OUT_DIR"), "/array_constraints.rs"));
}

pub mod conditional_fields {
    include!(concat!(env!("OUT_DIR"), "/conditional_fields.rs"));
}

pub mod composition {
    include!(concat!(env!("OUT_DIR"), "/composition.rs"));
}

pub mod default_names {
    include!(concat!(env!("OUT_DIR"), "/default_names.rs"));
}

pub mod defaults {
    include!(concat!(env!("OUT_DIR"), "/defaults.rs"));
}

pub mod draft7 {
    include!(concat!(env!("OUT_DIR"), "/draft7.rs"));
}

pub mod formats {
    include!(concat!(env!("OUT_DIR"), "/formats.rs"));
}

pub mod maps {
    include!(concat!(env!("OUT_DIR"), "/maps.rs"));
}

pub mod name_collisions {
    include!(concat!(env!("OUT_DIR"), "/name_collisions.rs"));
}

pub mod numeric_constraints {
    include!(concat!(env!("OUT_DIR"), "/numeric_constraints.rs"));
}

pub mod recursion {
    include!(concat!(env!("OUT_DIR"), "/recursion.rs"));
}

pub mod reserved_names {
    include!(concat!(env!("OUT_DIR"), "/reserved_names.rs"));
}

pub mod references {
    include!(concat!(env!("OUT_DIR"), "/references.rs"));
}

pub mod strict_object {
    include!(concat!(env!("OUT_DIR"), "/strict_object.rs"));
}

pub mod string_constraints {
    include!(concat!(env!("OUT_DIR"), "/string_constraints.rs"));
}

pub mod string_enum {
    include!(concat!(env!("OUT_DIR"), "/string_enum.rs"));
}

pub mod struct_fields {
    include!(concat!(env!("OUT_DIR"), "/struct_fields.rs"));
}

pub mod tagged_union {
    include!(concat!(env!("OUT_DIR"), "/tagged_union.rs"));
}

pub mod untagged_union {
    include!(concat!(env!("OUT_DIR"), "/untagged_union.rs"));
}

pub mod untagged_binding {
    include!(concat!(env!("OUT_DIR"), "/untagged_binding.rs"));
}
