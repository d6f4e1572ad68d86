//! Generated end-to-end tests: the generated router serving a stand-in implementation on
//! 127.0.0.1, called through the generated client, for every operation.

use proc_macro2::TokenStream;
use quote::quote;

use super::client_tests::{example, sample_inputs, SampleInputs};
use super::server::{service_trait_name, ServerEmitter};
use super::type_expr::{field_ident, type_ident};
use crate::ir::{client_type_names, ServiceIr};

/// The test module, or `None` when some operation lacks the examples a call needs.
pub fn server_tests_module(service: &ServiceIr) -> Option<TokenStream> {
    let trait_name = type_ident(&service_trait_name(&service.name));
    let client = type_ident(&client_type_names(&service.name)[0]);
    let emitter = ServerEmitter { service };
    let mut methods = Vec::new();
    let mut calls = Vec::new();
    for operation in &service.operations {
        let name = field_ident(&operation.rust_name);
        let id = &operation.id;
        let inputs = emitter.inputs(operation);
        let recorded = inputs.iter().map(|(input, _)| {
            let key = input.to_string();
            quote!((#key, serde_json::json!(#input)))
        });
        let parameters = inputs.iter().map(|(input, ty)| quote!(#input: #ty));
        let response = emitter.response_type(operation);
        let answer = match operation.response {
            Some(response_id) => {
                let text = example(service, response_id)?;
                quote!(Ok(solo60_runtime::parse_slice(#text.as_bytes()).expect("the contract's response example is valid")))
            }
            None => quote!(Ok(())),
        };
        methods.push(quote! {
            async fn #name(&self, context: RequestContext, #(#parameters),*) -> Result<#response, AppError> {
                self.record(#id, &context, vec![#(#recorded),*]);
                #answer
            }
        });

        let prefix = format!("{}_", operation.rust_name);
        let SampleInputs { setup, args, .. } = sample_inputs(service, operation, &prefix)?;
        let caller = operation
            .callers
            .first()
            .cloned()
            .unwrap_or_else(|| "e2e-caller".to_owned());
        let check = match operation.response {
            Some(response_id) => {
                let text = example(service, response_id)?;
                quote! {
                    let expected: serde_json::Value = serde_json::from_str(#text).expect("example JSON");
                    assert_eq!(serde_json::to_value(answer).expect("serializable"), expected, #id);
                }
            }
            None => quote!(),
        };
        let invoke = if operation.response.is_some() {
            quote!(let answer = client.#name(#(#args),*).await.expect(#id);)
        } else {
            quote!(client.#name(#(#args),*).await.expect(#id);)
        };
        calls.push(quote! {
            #setup
            let client = #client::new(ClientConfig::new(base_url.clone(), ApiKey::new(KEY), #caller)).expect("client");
            #invoke
            #check
        });
    }
    let ids = service.operations.iter().map(|operation| &operation.id);
    let type_imports = emitter.type_imports_from(quote!(crate));
    let service_name = &service.name;
    let doc =
        format!(" Answers every `{service_name}` operation with the contract's own examples.");
    Some(quote! {
        use std::sync::{Arc, Mutex};

        use solo60_runtime::client::{ApiKey, ClientConfig};
        use solo60_runtime::server::{RequestContext, ServiceAuth};
        use solo60_runtime::AppError;

        use crate::client::#client;
        use crate::server::{router, #trait_name};
        #type_imports

        const KEY: &str = "end-to-end-test-key";

        #[doc = #doc]
        #[derive(Clone, Default)]
        struct Examples {
            seen: Arc<Mutex<Vec<Seen>>>,
        }

        /// One call the service received.
        struct Seen {
            operation: &'static str,
            caller: String,
            inputs: serde_json::Value,
        }

        impl Examples {
            fn record(&self, operation: &'static str, context: &RequestContext, inputs: Vec<(&str, serde_json::Value)>) {
                let inputs = inputs.into_iter().map(|(name, value)| (name.to_owned(), value)).collect();
                if let Ok(mut seen) = self.seen.lock() {
                    seen.push(Seen {
                        operation,
                        caller: context.caller.clone(),
                        inputs: serde_json::Value::Object(inputs),
                    });
                }
            }
        }

        impl #trait_name for Examples {
            #(#methods)*
        }

        #[tokio::test]
        async fn every_operation_end_to_end() {
            let examples = Examples::default();
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port on 127.0.0.1");
            let base_url: solo60_runtime::client::Url = format!("http://{}/", listener.local_addr().expect("address")).parse().expect("URL");
            let app = router(examples.clone(), ServiceAuth::new(ApiKey::new(KEY)));
            let server = tokio::spawn(async move {
                solo60_runtime::server::axum::serve(listener, app).await
            });
            #(#calls)*
            let seen = examples.seen.lock().expect("not poisoned");
            let operations: Vec<&str> = seen.iter().map(|seen| seen.operation).collect();
            assert_eq!(operations, [#(#ids),*], "every operation reached the service once");
            for seen in seen.iter() {
                assert!(!seen.caller.is_empty(), "{}: an authenticated caller", seen.operation);
                assert!(seen.inputs.is_object(), "{}", seen.operation);
            }
            drop(seen);
            server.abort();
        }
    })
}
