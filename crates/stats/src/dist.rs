//! Distribution functions: the only module that imports statrs. STUB.
