//! Codebook CSV (`name,description,parent`) to seed a deductive framework.
