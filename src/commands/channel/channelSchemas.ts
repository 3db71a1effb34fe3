import { CreateChannelBody, EditPostBody, PublishPostBody, UpdateChannelBody } from '../../contract';
import { compileSchema } from '../../http/validation';

/** Validators of the admin channel and post bodies; the schemas and types live in src/contract. */
export const validateCreateChannel = compileSchema(CreateChannelBody);
export const validateUpdateChannel = compileSchema(UpdateChannelBody);
export const validatePublishPost = compileSchema(PublishPostBody);
export const validateEditPost = compileSchema(EditPostBody);
