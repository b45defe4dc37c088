pub mod signup;
